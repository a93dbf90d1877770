#include "ui/widgets/outliertable.h"

#include "ui/widgets/intervaltable.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

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
    // The counts next to the interval's number, its kind after them: the counts are what the
    // narrow table must show (the outlier table names the kind too). Copies keep the model's
    // order.
    m_intervalView->horizontalHeader()->moveSection(IntervalModel::Kind, IntervalModel::Observed);
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
    m_copyButton = button;
    button->setToolTip(tr("Copy the whole table and the summary as tab-separated text."));
    connect(button, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(toTsv(false)); });

    auto* top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(button);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    m_split = new QSplitter(Qt::Horizontal, this);
    m_split->addWidget(m_view);
    m_split->addWidget(m_intervalView);
    m_split->setStretchFactor(0, 3);
    m_split->setStretchFactor(1, 1);
    m_split->setChildrenCollapsible(false);
    connect(m_split, &QSplitter::splitterMoved, this, [this] { m_userSplit = true; });
    layout->addWidget(m_split, 1);
    fitRows();
}

namespace {

// The width of the first `count` columns in view order, sized to their contents (header title
// included) as ResizeToContents gives them.
int columnsWidth(const QTableView* view, int count)
{
    const QAbstractItemView* cells = view; // sizeHintForColumn is public there
    const QHeaderView* header = view->horizontalHeader();
    int w = 0;
    for (int v = 0; v < count; ++v) {
        const int c = header->logicalIndex(v);
        w += std::max(
            {header->sectionSize(c), header->sectionSizeHint(c), cells->sizeHintForColumn(c)});
    }
    return w + 2 * view->frameWidth();
}

} // namespace

int OutlierTable::heightForRows(int rows) const
{
    // Two summary lines: it wraps at 1366 px and less, and a summary growing with the data
    // must not take a row from the table.
    // (A word-wrapped label is a few pixels taller than its lines.)
    const int summary =
        std::max(2 * m_summary->fontMetrics().lineSpacing() + 4, m_copyButton->sizeHint().height());
    const int view = 2 * m_view->frameWidth() + m_view->horizontalHeader()->sizeHint().height() +
                     rows * m_view->verticalHeader()->defaultSectionSize() +
                     m_view->horizontalScrollBar()->sizeHint().height();
    return summary + layout()->spacing() + view;
}

void OutlierTable::fitSplit()
{
    if (m_userSplit || m_split->width() <= 0)
        return;
    const int total = m_split->width() - m_split->handleWidth();
    const int scrollBar = m_intervalView->verticalScrollBar()->sizeHint().width();
    const int keyColumns = columnsWidth(m_intervalView, 3) + scrollBar; // #, predicted, observed
    const int allColumns = columnsWidth(m_intervalView, IntervalModel::Columns) + scrollBar;
    // The interval table's counts (within 2/5 of the width), the outlier table's comparison
    // (through z), then its errors, then the interval table's other columns; reason and flags
    // are long text: they scroll.
    const int outlierScrollBar = m_view->verticalScrollBar()->sizeHint().width();
    const int comparison = columnsWidth(m_view, OutlierModel::Z + 1) + outlierScrollBar;
    const int numbers = columnsWidth(m_view, OutlierModel::Reason) + outlierScrollBar;
    const int interval =
        total - numbers >= keyColumns
            ? std::min(total - numbers, allColumns)
            : std::clamp(total - comparison, std::min(keyColumns, total * 2 / 5), keyColumns);
    m_split->setSizes({total - interval, interval});
}

void OutlierTable::fitRows()
{
    // The style's default row is about twice the text's height: a line and a small margin
    // show more rows in the same height.
    const int row = fontMetrics().height() + 6;
    for (QTableView* v : {m_view, m_intervalView}) {
        v->verticalHeader()->setMinimumSectionSize(row);
        v->verticalHeader()->setDefaultSectionSize(row);
    }
}

void OutlierTable::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    fitSplit();
}

void OutlierTable::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        fitRows();
        fitSplit();
    }
}

void OutlierTable::setTheory(std::shared_ptr<const TheoryFrame> theory)
{
    m_intervals->setTheory(theory);
    m_model->setTheory(std::move(theory));
    m_summary->setText(m_model->summary());
    fitSplit();
}

void OutlierTable::setSamples(std::shared_ptr<const SampleFrame> samples)
{
    m_intervals->setSamples(samples);
    const bool finished = samples && samples->finished;
    m_model->setSamples(std::move(samples));
    m_summary->setText(m_model->summary());
    if (finished) // the observed columns have their final widths, once the header has them
        QTimer::singleShot(0, this, &OutlierTable::fitSplit);
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
