#pragma once
// The help pages (resources/help): one per tab -- what it shows, how to read it, which controls
// matter -- plus the model and its formulas (help.html) and the keys for presenting (keys.html),
// in one non-modal window that follows the links between them. HelpMenu is the Help menu: F1
// opens the page of the tab shown.

#include <QDialog>
#include <QPointer>
#include <QUrl>

#include <functional>

class QMenuBar;
class QTextBrowser;

namespace ws::ui {

class HelpDialog : public QDialog
{
    Q_OBJECT
public:
    explicit HelpDialog(QWidget* parent = nullptr);

    // Shows (and raises) the dialog at `page`: a tab key ("main", "bbp", ..., "rectangular"),
    // "help" (the model) or "keys". An unknown page shows the model.
    void showPage(const QString& page);
    QString page() const; // the file stem of the page shown
    QTextBrowser* browser() const { return m_browser; }
    static QUrl pageUrl(const QString& page);

private:
    QTextBrowser* m_browser;
};

class HelpMenu : public QObject
{
    Q_OBJECT
public:
    // `currentTab` names the tab shown (ViewTabs::currentKey).
    HelpMenu(QMenuBar* bar, std::function<QString()> currentTab, QWidget* window);
    HelpDialog* dialog() const { return m_dialog; } // null until first opened

private:
    void show(const QString& page);

    std::function<QString()> m_currentTab;
    QWidget* m_window;
    QPointer<HelpDialog> m_dialog;
};

} // namespace ws::ui
