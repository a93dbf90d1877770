#include "ui/widgets/dialogs.h"

#include "ui/widgets/helpdialog.h"

#include "core/util/version.h"

#include <QMessageBox>
#include <qcustomplot.h>

namespace ws::ui {

void showHelp(QWidget* parent)
{
    auto* dialog = new HelpDialog(parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->showPage("help");
}

QString aboutText()
{
    return QObject::tr("<h3>Wignerscope %1</h3>"
                       "<p>Eigenvalues of deformed Wigner matrices H = (σ/√N) X + S whose signal S "
                       "has a rank growing with N, against the finite-rank (BBP) and large-rank "
                       "(subordination) predictions.</p>"
                       "<p>Qt %2 (built with %3)<br>QCustomPlot %4<br>Eigen %5<br>oneTBB %6<br>"
                       "OpenBLAS %7</p>")
        .arg(WS_VERSION, qVersion(), QT_VERSION_STR, QCUSTOMPLOT_VERSION_STR,
             QString::fromStdString(core::eigenVersion()),
             QString::fromStdString(core::tbbVersion()),
             QString::fromStdString(core::openblasVersion()));
}

void showAbout(QWidget* parent)
{
    QMessageBox::about(parent, QObject::tr("About Wignerscope"), aboutText());
}

} // namespace ws::ui
