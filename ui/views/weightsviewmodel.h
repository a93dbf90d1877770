#pragma once
// The Real weights tab's whole-model table: one row per tensor of a model (core/weights/
// model_report.h) with the report's columns; tensors that were not analysed are greyed rows with
// the reason. Selecting an analysed row emits layerChosen(index into report->layers). Maps a
// finished report onto table items; no maths, no jobs (the view runs analyseModelJob).

#include "core/weights/model_report.h"

#include <QTableWidget>

#include <memory>

namespace ws::ui {

class WeightsModelTable : public QTableWidget
{
    Q_OBJECT
public:
    explicit WeightsModelTable(QWidget* parent = nullptr);

    void setReport(std::shared_ptr<const core::ModelReport> report);
    std::shared_ptr<const core::ModelReport> report() const { return m_report; }
    // One line above the table: the file, counts, and what the rate means for the whole model.
    QString summaryText() const;

signals:
    void layerChosen(int index);

private:
    std::shared_ptr<const core::ModelReport> m_report;
};

} // namespace ws::ui
