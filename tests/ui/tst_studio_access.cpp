// The studio as a keyboard user and a screen reader meet it: real key presses on the focused
// control, and Qt's accessibility interfaces (names, text, values, actions, events), which is
// what AT-SPI hands a screen reader.

#include <QAccessible>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QThread>
#include <QToolButton>
#include <QtTest>

#include "core/tasks/history_model.h"
#include "core/tasks/queue_model.h"
#include "core/voices/character_model.h"
#include "studio_fixture.h"
#include "ui/clone/clone_wizard.h"
#include "ui/dialogs/shortcuts_dialog.h"
#include "ui/gallery/filter_bar.h"
#include "ui/gallery/gallery_view.h"
#include "ui/history/history_dock.h"
#include "ui/player/player_bar.h"
#include "ui/player/player_controller.h"
#include "ui/player/waveform_view.h"
#include "ui/queue/queue_dock.h"
#include "ui/settings/settings_dialog.h"
#include "ui/shell/banner.h"
#include "ui/shell/header_bar.h"
#include "ui/studio/generation_controller.h"
#include "ui/studio/labeled_slider.h"
#include "ui/studio/parameter_panel.h"
#include "ui/studio/studio_panel.h"
#include "ui/studio/text_editor_panel.h"

namespace {

QAccessibleInterface* accessible(QObject* o) { return QAccessible::queryAccessibleInterface(o); }
QString nameOf(QObject* o) { return accessible(o)->text(QAccessible::Name); }

// The label in `root` that says what `what` is (its accessible description).
QLabel* labelDescribedAs(QWidget* root, const QString& what) {
    for (QLabel* l : root->findChildren<QLabel*>())
        if (l->accessibleDescription() == what) return l;
    return nullptr;
}

// Gives `w` the keyboard focus in its active window, then presses `key` on whatever has it.
bool pressOnFocused(QWidget* w, Qt::Key key) {
    w->activateWindow();
    w->setFocus(Qt::TabFocusReason);
    if (!QTest::qWaitFor([w] { return w->hasFocus(); }, 2000)) return false;
    QTest::keyClick(QApplication::focusWidget(), key);
    return true;
}

// Closes the next modal dialog (Settings, Save preset) the studio opens; true once it has.
std::shared_ptr<QString> closeNextModal() {
    auto seen = std::make_shared<QString>();
    auto* poll = new QTimer;
    poll->setInterval(20);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, seen] {
        auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget());
        if (!dialog) return;
        *seen = dialog->windowTitle();
        dialog->reject();
        poll->deleteLater();
    });
    poll->start();
    return seen;
}

struct Events {
    static inline QList<QPair<QObject*, QAccessible::Event>> seen;
    static void record(QAccessibleEvent* e) { seen.append({e->object(), e->type()}); }
};

// Every named thing a screen reader lands on below `iface`, as "role: name" for those without
// a name. Labels are read by their text (an empty one is simply silent).
void collectUnnamed(QAccessibleInterface* iface, QStringList& unnamed, int depth = 0) {
    if (!iface || depth > 40 || iface->state().invisible) return;
    static const QList<QAccessible::Role> needName{
        QAccessible::PushButton, QAccessible::CheckBox,   QAccessible::RadioButton, QAccessible::ComboBox,
        QAccessible::SpinBox,    QAccessible::Slider,     QAccessible::ScrollBar,   QAccessible::EditableText,
        QAccessible::List,       QAccessible::Table,      QAccessible::PageTabList, QAccessible::ButtonMenu,
        QAccessible::AlertMessage};
    const bool scrollArea = qobject_cast<QAbstractScrollArea*>(iface->object()) != nullptr;
    if ((needName.contains(iface->role()) || scrollArea) && iface->text(QAccessible::Name).trimmed().isEmpty())
        unnamed << QStringLiteral("%1 (%2)").arg(iface->object() ? iface->object()->metaObject()->className() : "?")
                        .arg(int(iface->role()));
    if (iface->tableInterface()) return;   // cells are read from the model
    for (int i = 0; i < iface->childCount(); ++i) collectUnnamed(iface->child(i), unnamed, depth + 1);
}

} // namespace

class TestStudioAccess : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() {
        QAccessible::installUpdateHandler(&Events::record);
        QAccessible::setActive(true);
    }

    // -- keyboard ------------------------------------------------------------------------

    // Space and Return press the focused control, whatever it is (a window-wide Space
    // shortcut once took Space from all of them).
    void spaceAndReturnPressTheFocusedButton_data() {
        QTest::addColumn<int>("key");
        QTest::newRow("Space") << int(Qt::Key_Space);
        QTest::newRow("Return") << int(Qt::Key_Return);
    }
    void spaceAndReturnPressTheFocusedButton() {
        QFETCH(int, key);
        Studio s;
        QVERIFY(QTest::qWaitForWindowActive(s.window.get()));
        const auto press = [&](QWidget* w) { return pressOnFocused(w, Qt::Key(key)); };

        // Header: Queue and History open their panels, Help the shortcuts, Settings its dialog.
        QVERIFY(press(s.window->header()->queueButton()));
        QTRY_VERIFY(s.window->queueDock()->isVisible());
        QVERIFY(press(s.window->header()->historyButton()));
        QTRY_VERIFY(s.window->historyDock()->isVisible());
        QVERIFY(press(findByAccessibleName<QToolButton>(s.window->header(), "Help")));
        QTRY_VERIFY(!s.window->findChildren<ShortcutsDialog*>().isEmpty());
        qDeleteAll(s.window->findChildren<ShortcutsDialog*>());
        QVERIFY(press(findByAccessibleName<QToolButton>(s.window->header(), "Clone a voice")));
        QTRY_VERIFY(!s.window->findChildren<CloneWizard*>().isEmpty());
        qDeleteAll(s.window->findChildren<CloneWizard*>());
        auto settingsSeen = closeNextModal();
        QVERIFY(press(findByAccessibleName<QToolButton>(s.window->header(), "Settings")));
        QTRY_COMPARE(*settingsSeen, QStringLiteral("Settings"));

        // Banner: Dismiss hides the engine banner.
        Banner* banner = s.window->studio()->engineBanner();
        QVERIFY(banner->isVisible());
        QVERIFY(press(findByAccessibleName<QToolButton>(banner, "Dismiss")));
        QTRY_VERIFY(!banner->isVisible());

        // A style chip filters, Use moves to the editor.
        FilterBar* filters = s.window->filterBar();
        const QString before = filters->countText();
        QVERIFY(press(findByAccessibleName<QAbstractButton>(filters, "Style: warm")));
        QTRY_VERIFY(filters->countText() != before);
        QVERIFY(press(findByAccessibleName<QPushButton>(s.window->studio(), "Use this voice")));
        QTRY_VERIFY(s.window->studio()->editor()->editor()->hasFocus());

        // Parameters: Roll fixes a new seed, Reset puts the temperature back, Save preset asks.
        ParameterPanel* params = s.window->studio()->parameters();
        QVERIFY(params->randomSeed()->isChecked());
        QVERIFY(press(params->dice()));
        QTRY_VERIFY(!params->randomSeed()->isChecked());
        params->temperature()->setValue(1.3);
        QVERIFY(press(params->temperature()->resetButton()));
        QTRY_COMPARE(params->temperature()->value(), 0.9);
        auto presetSeen = closeNextModal();
        QVERIFY(press(findByAccessibleName<QToolButton>(params, "Save preset")));
        QTRY_COMPARE(*presetSeen, QStringLiteral("Save preset"));

        // Sample renders (or plays) the selected character's sample.
        auto* sample = findByAccessibleName<QPushButton>(s.window->studio(), "Play the sample");
        QVERIFY(press(sample));
        QTRY_VERIFY(sample->text() != QStringLiteral("Sample"));
    }

    // Space still plays and pauses where the focused control has no use for it.
    void spacePlaysFromThePlayer() {
        Studio s;
        QVERIFY(QTest::qWaitForWindowActive(s.window.get()));
        s.window->player()->setClip(std::vector<float>(48000, 0.1f), 24000, "Clip");
        QVERIFY(pressOnFocused(s.window->playerBar()->waveform(), Qt::Key_Space));
        QCOMPARE(s.window->player()->state(), PlayerController::State::Playing);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Space);
        QVERIFY(s.window->player()->state() != PlayerController::State::Playing);
        QVERIFY(pressOnFocused(s.window->gallery(), Qt::Key_Space));
        QCOMPARE(s.window->player()->state(), PlayerController::State::Playing);
    }

    void tabFollowsTheScreen() {
        Studio s;
        QVERIFY(QTest::qWaitForWindowActive(s.window.get()));
        const auto tabsFrom = [](QWidget* start, int tabs, Qt::KeyboardModifiers mods = Qt::NoModifier) {
            start->setFocus(Qt::TabFocusReason);
            QStringList names;
            for (int i = 0; i < tabs; ++i) {
                QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab, mods);
                names << nameOf(QApplication::focusWidget());
            }
            return names;
        };
        // The header, left to right.
        auto* clone = findByAccessibleName<QToolButton>(s.window->header(), "Clone a voice");
        QCOMPARE(tabsFrom(clone, 4), QStringList({"Show the queue", "Show the history", "Settings", "Help"}));
        // The seed row: [Seed] [Roll] [Random] ... [Max].
        ParameterPanel* params = s.window->studio()->parameters();
        QCOMPARE(tabsFrom(params->dice(), 2), QStringList({"Random seed", "Maximum length in seconds"}));
        QCOMPARE(tabsFrom(params->dice(), 1, Qt::ShiftModifier), QStringList({"Reset Top-k"}));   // the seed box is off

        // From the search field to the gallery: language, gender chips (one stop), styles (one stop).
        QWidget* search = s.window->filterBar()->searchField();
        search->setFocus(Qt::TabFocusReason);
        int tabs = 0;
        while (QApplication::focusWidget() != s.window->gallery() && tabs < 40) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            ++tabs;
        }
        QCOMPARE(tabs, 4);
    }

    // The style chips are one group: arrows move along it, Tab leaves it.
    void arrowsMoveThroughTheStyleChips() {
        Studio s;
        QVERIFY(QTest::qWaitForWindowActive(s.window.get()));
        FilterBar* filters = s.window->filterBar();
        auto* first = findByAccessibleName<QAbstractButton>(filters, "Style: " + s.library->characters().front().styles.front());
        QVERIFY(first);
        // The chips in the order they sit, by name: the first is the group's Tab stop.
        QList<QAbstractButton*> chips;
        for (QAbstractButton* b : filters->findChildren<QAbstractButton*>())
            if (nameOf(b).startsWith("Style: ")) chips << b;
        std::sort(chips.begin(), chips.end(), [](QAbstractButton* a, QAbstractButton* b) {
            return QString::compare(nameOf(a), nameOf(b), Qt::CaseInsensitive) < 0;
        });
        QVERIFY(chips.size() > 3);
        QCOMPARE(int(std::count_if(chips.begin(), chips.end(), [](QAbstractButton* c) { return c->focusPolicy() & Qt::TabFocus; })), 1);
        QVERIFY(pressOnFocused(chips[0], Qt::Key_Right));
        QCOMPARE(QApplication::focusWidget(), chips[1]);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Right);
        QCOMPARE(QApplication::focusWidget(), chips[2]);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Left);
        QCOMPARE(QApplication::focusWidget(), chips[1]);
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_End);
        QCOMPARE(QApplication::focusWidget(), chips.back());
        QVERIFY(chips.back()->focusPolicy() & Qt::TabFocus);   // the Tab stop moved with it
        QVERIFY(!chips.back()->isChecked());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Space);
        QVERIFY(chips.back()->isChecked());
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(), s.window->gallery());
    }

    // -- what a screen reader reads -------------------------------------------------------

    void everyControlHasAName() {
        Studio s;
        QVERIFY(QTest::qWaitForWindowExposed(s.window.get()));
        s.window->openPanel("queue");
        s.window->openPanel("history");
        s.window->studio()->banner()->showMessage(Banner::Kind::Error, "Something failed.", "Retry");
        QStringList unnamed;
        collectUnnamed(accessible(s.window.get()), unnamed);
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(", ")));

        SettingsDialog settings(Settings{}, "/models");
        settings.show();
        collectUnnamed(accessible(&settings), unnamed);
        QVERIFY2(unnamed.isEmpty(), qPrintable(unnamed.join(", ")));
    }

    void changingTextIsReadAsItIs() {
        Studio s;
        QVERIFY(QTest::qWaitForWindowExposed(s.window.get()));
        FilterBar* filters = s.window->filterBar();
        QLabel* count = labelDescribedAs(filters, "Characters shown");
        QVERIFY(count);
        const int total = int(s.library->characters().size());
        QCOMPARE(nameOf(count), QStringLiteral("%1 characters").arg(total));
        filters->setGender("female");
        int female = 0;
        for (const Character& c : s.library->characters()) female += c.gender == QLatin1String("female");
        QCOMPARE(nameOf(count), QStringLiteral("%1 of %2 characters").arg(female).arg(total));

        s.window->player()->setClip(std::vector<float>(24000 * 75, 0.0f), 24000, "Clip");
        QCOMPARE(nameOf(labelDescribedAs(s.window->playerBar(), "Position and length")), QStringLiteral("0:00 / 1:15"));
        QVERIFY(nameOf(labelDescribedAs(s.window->statusBar(), "Engine status")).startsWith("eSpeak NG"));

        s.window->setEditorText("Twelve chars");
        TextEditorPanel* editor = s.window->studio()->editor();
        QVERIFY(nameOf(labelDescribedAs(editor, "Character count")).contains("12"));
        QVERIFY(nameOf(labelDescribedAs(editor, "Estimated duration")).contains(" s"));
    }

    // A banner is an alert, read with what it says, and announced when it appears.
    void bannersAreAnnounced() {
        Studio s;
        QVERIFY(QTest::qWaitForWindowExposed(s.window.get()));
        Banner* banner = s.window->studio()->banner();
        Events::seen.clear();
        s.window->studio()->editor()->setText({});
        s.window->generate();   // empty text: refused with a sentence in the error banner
        QTRY_VERIFY(banner->isVisible());
        QAccessibleInterface* iface = accessible(banner);
        QCOMPARE(iface->role(), QAccessible::AlertMessage);
        QVERIFY(iface->text(QAccessible::Name).startsWith("Error: "));
        QVERIFY(iface->text(QAccessible::Name).contains(banner->message()));
        QVERIFY(nameOf(labelDescribedAs(banner, "Notification text")) == banner->message());
        if (!QAccessible::isActive())
            QSKIP("No accessibility bridge on this platform (offscreen): events are not delivered to handlers");
        QVERIFY((Events::seen.contains({banner, QAccessible::Alert})));
    }

    void cardsAndJobsSayMoreThanAName() {
        Studio s;
        QVERIFY(QTest::qWaitForWindowExposed(s.window.get()));
        QAccessibleTableInterface* cards = accessible(s.window->gallery())->tableInterface();
        QVERIFY(cards);
        QAccessibleInterface* first = cards->cellAt(0, 0);
        const QModelIndex index = s.window->gallery()->model()->index(0, 0);
        const auto c = *s.library->find(index.data(CharacterModel::IdRole).toString());
        QCOMPARE(first->text(QAccessible::Name), c.name);
        const QString about = first->text(QAccessible::Description);
        QVERIFY2(about.contains(c.gender, Qt::CaseInsensitive) && about.contains(c.ageRange) &&
                     about.contains(c.styles.front()) && about.contains("eSpeak"),
                 qPrintable(about));

        QVERIFY(generateTake(s, "A job to read."));
        QAccessibleTableInterface* jobs = accessible(s.window->queueDock()->findChild<QListView*>())->tableInterface();
        QTRY_VERIFY(jobs->cellAt(0, 0)->text(QAccessible::Description).startsWith("Done"));
        QVERIFY(jobs->cellAt(0, 0)->text(QAccessible::Description).contains("eSpeak NG"));
    }

    void slidersReportRealValues() {
        Studio s;
        ParameterPanel* params = s.window->studio()->parameters();
        QAccessibleInterface* temperature = accessible(params->temperature()->slider());
        QVERIFY(temperature->valueInterface());
        QCOMPARE(temperature->valueInterface()->currentValue().toDouble(), 0.9);
        QCOMPARE(temperature->text(QAccessible::Value), QStringLiteral("0.90"));
        QCOMPARE(temperature->valueInterface()->minimumValue().toDouble(), 0.1);
        QCOMPARE(temperature->valueInterface()->maximumValue().toDouble(), 1.5);
        temperature->valueInterface()->setCurrentValue(1.2);
        QCOMPARE(params->temperature()->value(), 1.2);
        QAccessibleInterface* topK = accessible(params->topK()->slider());
        QCOMPARE(topK->valueInterface()->currentValue().toDouble(), 50.0);
        QCOMPARE(topK->text(QAccessible::Value), QStringLiteral("50"));

        // Threads: "every core" is a check box; the spin box holds a real count.
        SettingsDialog settings(Settings{}, "/models");
        auto* everyCore = findByAccessibleName<QCheckBox>(&settings, "Threads: every core");
        QVERIFY(everyCore && everyCore->isChecked());
        auto* threads = findByAccessibleName<QSpinBox>(&settings, "Threads");
        QCOMPARE(accessible(threads)->valueInterface()->currentValue().toInt(), QThread::idealThreadCount());
        QCOMPARE(settings.settings().threads, 0);
        everyCore->setChecked(false);
        threads->setValue(3);
        QCOMPARE(settings.settings().threads, 3);

        // Long text pieces: 1 reads as what it means; the arrow keys step it, and a screen reader
        // hears the new value with its unit.
        auto* pieces = findByAccessibleName<QSpinBox>(&settings, "Long text pieces");
        QVERIFY(pieces);
        QCOMPARE(accessible(pieces)->text(QAccessible::Value), QStringLiteral("One after another"));
        QCOMPARE(settings.settings().pieceStreams, 1);
        QTest::keyClick(pieces, Qt::Key_Up);
        QTest::keyClick(pieces, Qt::Key_Up);
        QTest::keyClick(pieces, Qt::Key_Up);
        QCOMPARE(settings.settings().pieceStreams, 4);
        QCOMPARE(accessible(pieces)->valueInterface()->currentValue().toInt(), 4);
        QCOMPARE(accessible(pieces)->text(QAccessible::Value), QStringLiteral("4 side by side"));

        // Queued jobs at once: 4 by default; Down to the lowest reads "One at a time".
        auto* jobs = findByAccessibleName<QSpinBox>(&settings, "Queued jobs");
        QVERIFY(jobs);
        QCOMPARE(accessible(jobs)->text(QAccessible::Value), QStringLiteral("4 at once"));
        QCOMPARE(settings.settings().jobStreams, 4);
        for (int i = 0; i < 5; ++i)
            QTest::keyClick(jobs, Qt::Key_Down);
        QCOMPARE(settings.settings().jobStreams, 1);
        QCOMPARE(accessible(jobs)->text(QAccessible::Value), QStringLiteral("One at a time"));
        QTest::keyClick(jobs, Qt::Key_PageUp);
        QVERIFY(settings.settings().jobStreams > 1);
    }

    // -- actions through the accessibility interface do what a click does -----------------

    void accessibleActionsActLikeClicks() {
        Studio s;
        QVERIFY(QTest::qWaitForWindowExposed(s.window.get()));
        FilterBar* filters = s.window->filterBar();
        auto* female = findByAccessibleName<QAbstractButton>(filters, "Gender: Female");
        QAccessibleActionInterface* actions = accessible(female)->actionInterface();
        QVERIFY(actions && actions->actionNames().contains(QAccessibleActionInterface::toggleAction()));
        actions->doAction(QAccessibleActionInterface::toggleAction());
        QVERIFY(female->isChecked());
        int count = 0;
        for (const Character& c : s.library->characters()) count += c.gender == QLatin1String("female");
        QCOMPARE(s.window->characterFilter()->rowCount(), count);

        // Selecting a card makes it the studio's character.
        QAccessibleTableInterface* cards = accessible(s.window->gallery())->tableInterface();
        const QModelIndex second = s.window->gallery()->model()->index(1, 0);
        QVERIFY(second.data(CharacterModel::IdRole).toString() != s.window->selectedCharacterId());
        QVERIFY(cards->selectRow(1));
        QCOMPARE(s.window->selectedCharacterId(), second.data(CharacterModel::IdRole).toString());
    }

    void selectingATakeShowsItsDetails() {
        Studio s;
        QVERIFY(QTest::qWaitForWindowExposed(s.window.get()));
        QVERIFY(generateTake(s, "A take to select."));
        HistoryDock* history = s.window->historyDock();
        s.window->openPanel("history");
        QTRY_COMPARE(history->view()->model()->rowCount(), 1);
        QLabel* details = labelDescribedAs(history, "Take details");
        QCOMPARE(nameOf(details), QStringLiteral("Select a take."));
        QVERIFY(accessible(history->view())->tableInterface()->selectRow(0));
        const QString seed = history->view()->model()->index(0, 0).data(HistoryModel::SeedRole).toString();
        QVERIFY2(nameOf(details).contains("seed " + seed), qPrintable(nameOf(details)));
        QVERIFY(findByAccessibleName<QPushButton>(history, "Export the take")->isEnabled());
    }

    // -- small screens --------------------------------------------------------------------

    void generateStaysInView_data() {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<bool>("banner");
        QTest::newRow("1024x640") << QSize(1024, 640) << false;
        QTest::newRow("1024x640 with a banner") << QSize(1024, 640) << true;
        QTest::newRow("1280x800 with a banner") << QSize(1280, 800) << true;
    }
    void generateStaysInView() {
        QFETCH(QSize, size);
        QFETCH(bool, banner);
        Studio s;
        s.window->resize(size);
        QVERIFY(QTest::qWaitForWindowExposed(s.window.get()));
        if (banner)
            s.window->studio()->banner()->showMessage(Banner::Kind::Error, "The text is empty: type something to speak first.",
                                                      "Open settings");
        QCoreApplication::processEvents();
        QPushButton* generate = s.window->studio()->generateButton();
        QVERIFY(generate->isVisible());
        // Wholly visible: nothing (the scroll area, the window's edge) clips it.
        QCOMPARE(generate->visibleRegion().boundingRect(), generate->rect());
        const QRect inWindow(generate->mapTo(s.window.get(), QPoint(0, 0)), generate->size());
        QVERIFY(s.window->rect().contains(inWindow));
    }
};

QTEST_MAIN(TestStudioAccess)
#include "tst_studio_access.moc"
