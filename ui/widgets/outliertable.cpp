#include "ui/widgets/outliertable.h"

#include "ui/widgets/intervaltable.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace ws::ui {

OutlierTable::OutlierTable(QWidget* parent)
    : QWidget(parent), m_model(new OutlierModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_view(new QTableView(this)), m_intervals(new IntervalModel(this)),
      m_intervalView(new QTableView(this)), m_summary(new QLabel(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(OutlierModel::SortRole);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(OutlierModel::Index, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_intervalView->setModel(m_intervals);
    for (QTableView* v : {m_view, m_intervalView}) {
        v->setAlternatingRowColors(true);
        v->verticalHeader()->setVisible(false);
        // Numbers take what they need; the last (text) column takes the rest.
        v->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        v->horizontalHeader()->setStretchLastSection(true);
    }
    m_intervalView->setToolTip(tr("The support intervals of μ_N, left to right: bulk or outlier "
                                  "cluster, range, predicted number of eigenvalues (N × mass) "
                                  "and the observed number per sample."));
    m_view->setToolTip(tr("One row per spike (equal spikes: one row θ × m). Click a header to "
                          "sort; Ctrl+C copies the selected "
                          "rows (or all) as tab-separated text."));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setToolTip(tr("Predicted number of outliers by each formula vs the mean number of "
                             "eigenvalues observed outside every bulk interval (each widened by "
                             "its edge windows)."));

    auto* copy = new QAction(tr("Copy"), m_view);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(copy, &QAction::triggered, this, &OutlierTable::copyToClipboard);
    m_view->addAction(copy);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto* button = new QPushButton(tr("Copy table"), this);
    button->setToolTip(tr("Copy the whole table and the summary as tab-separated text."));
    connect(button, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(toTsv(false)); });

    auto* top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(button);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(m_view);
    split->addWidget(m_intervalView);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    layout->addWidget(split, 1);
}

void OutlierTable::setTheory(std::shared_ptr<const TheoryFrame> theory)
{
    m_intervals->setTheory(theory);
    m_model->setTheory(std::move(theory));
    m_summary->setText(m_model->summary());
}

void OutlierTable::setSamples(std::shared_ptr<const SampleFrame> samples)
{
    m_intervals->setSamples(samples);
    m_model->setSamples(std::move(samples));
    m_summary->setText(m_model->summary());
}

QString OutlierTable::summaryText() const
{
    return m_summary->text();
}

QString OutlierTable::toTsv(bool selectionOnly) const
{
    QStringList lines{(m_model->headerCells() << "m").join('\t')};
    const auto selected =
        m_view->selectionModel() ? m_view->selectionModel()->selectedRows() : QModelIndexList{};
    for (int r = 0; r < m_proxy->rowCount(); ++r) {
        const QModelIndex pi = m_proxy->index(r, 0);
        if (selectionOnly && !selected.isEmpty() && !selected.contains(pi))
            continue;
        const int row = m_proxy->mapToSource(pi).row();
        QStringList cells;
        for (int c = 0; c < OutlierModel::Columns; ++c) {
            if (c == OutlierModel::Interval || c == OutlierModel::Reason ||
                c == OutlierModel::Flags) {
                cells << m_model->text(row, c);
                continue;
            }
            cells << FrameTableModel::tsvNumber(m_model->value(row, c));
        }
        cells << QString::number(m_model->groupSize(row));
        lines << cells.join('\t');
    }
    if (!selectionOnly || selected.isEmpty())
        lines << QString() << m_model->summary() << QString() << m_intervals->toTsv();
    return lines.join('\n') + '\n';
}

void OutlierTable::copyToClipboard()
{
    QApplication::clipboard()->setText(toTsv(true));
}

} // namespace ws::ui
