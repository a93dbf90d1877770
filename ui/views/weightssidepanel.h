#pragma once
// The Real weights tab's side panel (weightsview.h), in a scroll area so that it scrolls rather
// than clips its text when the window is short (presentation fonts): the matrix and its noise fit
// (file, shape, fitted sigma, bulk edge, Tracy-Widom margin, the count above it), the pruning
// preview (weightsprunepanel.h) and a note on the model.

#include "ui/jobs/weightsjob.h"

#include <QScrollArea>

#include <memory>

class QLabel;

namespace ws::ui {

class WeightsPrunePanel;

// The file's name, "(example)" for the shipped one.
QString weightsDisplayName(const WeightsSource& s);

class WeightsSidePanel : public QScrollArea
{
    Q_OBJECT
public:
    explicit WeightsSidePanel(QWidget* parent = nullptr);

    // A new matrix (null: none) with k kept in the pruning preview.
    void setData(std::shared_ptr<const WeightsData> data, int k);
    WeightsPrunePanel* prune() const { return m_prune; }
    QString infoText() const; // the matrix and its fit, plain text

private:
    QLabel* m_info;
    QLabel* m_fit;
    WeightsPrunePanel* m_prune;
};

} // namespace ws::ui
