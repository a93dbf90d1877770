#include "ui/widgets/helpdialog.h"

#include "ui/widgets/dialogs.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QFileInfo>
#include <QKeySequence>
#include <QMenu>
#include <QMenuBar>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace ws::ui {

HelpDialog::HelpDialog(QWidget* parent) : QDialog(parent), m_browser(new QTextBrowser(this))
{
    setWindowTitle(tr("Wignerscope help"));
    m_browser->setOpenExternalLinks(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    auto* l = new QVBoxLayout(this);
    l->addWidget(m_browser);
    l->addWidget(buttons);
    resize(760, 640);
}

QUrl HelpDialog::pageUrl(const QString& page)
{
    const QString file = ":/help/" + page + ".html";
    return QUrl(QFile::exists(file) ? "qrc" + file : QStringLiteral("qrc:/help/help.html"));
}

void HelpDialog::showPage(const QString& page)
{
    m_browser->setSource(pageUrl(page));
    show();
    raise();
    activateWindow();
}

QString HelpDialog::page() const
{
    return QFileInfo(m_browser->source().path()).completeBaseName();
}

HelpMenu::HelpMenu(QMenuBar* bar, std::function<QString()> currentTab, QWidget* window)
    : QObject(window), m_currentTab(std::move(currentTab)), m_window(window)
{
    QMenu* help = bar->addMenu(tr("&Help"));
    help->addAction(tr("&Help for this tab"), QKeySequence::HelpContents, this,
                    [this] { show(m_currentTab()); });
    help->addAction(tr("&Model and formulas"), this, [this] { show("help"); });
    help->addAction(tr("&Keys for presenting"), this, [this] { show("keys"); });
    help->addSeparator();
    help->addAction(tr("&About Wignerscope"), this, [this] { showAbout(m_window); });
}

void HelpMenu::show(const QString& page)
{
    if (!m_dialog)
        m_dialog = new HelpDialog(m_window);
    m_dialog->showPage(page);
}

} // namespace ws::ui
