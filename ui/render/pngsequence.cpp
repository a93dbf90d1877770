// Numbered PNG frames (see pngsequence.h).
#include "ui/render/pngsequence.h"

#include <QImageWriter>

namespace ws::render {

PngSequence::PngSequence(const std::string& directory, const EncoderOptions& options)
    : m_output(directory, AtomicOutput::Kind::Directory), m_options(options)
{
}

void PngSequence::add(const QImage& frame)
{
    if (m_finished)
        throw EncodeError("cannot write " + m_output.target() +
                          ": the frames are already finished");
    const QImage img = frame.size() == m_options.size ? frame : frame.scaled(m_options.size);
    const std::string file = m_output.path() + "/" + frameFileName(m_frames);
    QImageWriter writer(QString::fromStdString(file), "png");
    if (!writer.write(img))
        throw EncodeError("cannot write " + m_output.target() + "/" + frameFileName(m_frames) +
                          ": " + writer.errorString().toStdString());
    ++m_frames;
}

bool PngSequence::finish(const std::atomic<bool>* cancel)
{
    if (m_finished)
        return false;
    m_finished = true;
    if (cancel && cancel->load())
        return false; // m_output removes the directory
    m_output.commit();
    return true;
}

} // namespace ws::render
