// The gallery and its filters over the built-in characters: each filter changes what is shown
// and the visible count, nothing matching shows the empty state, the filter is remembered,
// the keyboard moves through the cards and the card's play button asks for the sample.

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "core/voices/character_model.h"
#include "core/voices/voice_library.h"
#include "ui/gallery/character_card_delegate.h"
#include "ui/gallery/clone_invite_model.h"
#include "ui/gallery/filter_bar.h"
#include "ui/gallery/gallery_view.h"
#include "ui/widgets/chip_button.h"

using namespace echoforge;
using namespace echoforge::ui;

namespace {

struct Gallery {
    QTemporaryDir dir;
    VoiceLibrary library{builtInCharactersDir(), dir.filePath("voices")};
    CharacterModel characters{&library};
    CharacterFilterModel filter;
    std::unique_ptr<FilterBar> bar;
    GalleryView view;

    Gallery() {
        filter.setSourceModel(&characters);
        bar = std::make_unique<FilterBar>(&filter, &characters);
        view.setModel(&filter);
        QObject::connect(bar.get(), &FilterBar::filterChanged, &view, [this] { view.setEmptyMessage(bar->emptyMessage()); });
        QObject::connect(&view, &GalleryView::clearFiltersRequested, bar.get(), &FilterBar::clearFilters);
    }

    ChipButton* chip(const QString& accessibleName) const {
        for (ChipButton* c : bar->findChildren<ChipButton*>())
            if (c->accessibleName() == accessibleName) return c;
        return nullptr;
    }
    QLabel* countLabel() const {
        for (QLabel* l : bar->findChildren<QLabel*>())
            if (l->accessibleDescription() == QLatin1String("Characters shown")) return l;
        return nullptr;
    }
    int countWhere(int role, const QString& value) const {
        int n = 0;
        for (int r = 0; r < characters.rowCount(); ++r)
            if (characters.index(r).data(role).toString() == value) ++n;
        return n;
    }
};

} // namespace

class TestGalleryFilters : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void modelsAreSound() {
        Gallery g;
        QAbstractItemModelTester tester(&g.filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        g.bar->setGender("female");
        g.bar->setSearchText("a");
        g.bar->clearFilters();
    }

    // First run (built-in characters only): one more card invites the user to clone a voice. It
    // is never selected, a click on it asks for the wizard, it does not hide the empty state,
    // and it goes away once the user has a voice of their own.
    void cloneInvitationUntilTheUserHasAVoice() {
        Gallery g;
        CloneInviteModel invite(&g.characters);
        invite.setSourceModel(&g.filter);
        QAbstractItemModelTester tester(&invite, QAbstractItemModelTester::FailureReportingMode::QtTest);
        g.view.setModel(&invite);
        QVERIFY(invite.inviting());
        QCOMPARE(invite.rowCount(), g.filter.rowCount() + 1);
        const QModelIndex card = invite.index(invite.rowCount() - 1, 0);
        QVERIFY(card.data(CloneInviteModel::InviteRole).toBool());
        QVERIFY(!invite.index(0, 0).data(CloneInviteModel::InviteRole).toBool());
        QVERIFY(!(invite.flags(card) & Qt::ItemIsSelectable));
        QVERIFY(!invite.mapToSource(card).isValid());
        QCOMPARE(card.data(Qt::DisplayRole).toString(), QString("Clone a voice"));

        g.view.resize(800, 600);
        g.view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&g.view));
        QSignalSpy clone(&g.view, &GalleryView::cloneRequested);
        const QModelIndex lastCharacter = invite.index(invite.rowCount() - 2, 0);
        g.view.setCurrentIndex(lastCharacter);
        QTest::mouseClick(g.view.viewport(), Qt::LeftButton, {}, g.view.visualRect(card).center());
        QCOMPARE(clone.count(), 1);
        QCOMPARE(g.view.currentIndex(), lastCharacter);
        QTest::keyClick(&g.view, Qt::Key_End);
        QTest::keyClick(&g.view, Qt::Key_Right);
        QVERIFY(!g.view.currentIndex().data(CloneInviteModel::InviteRole).toBool());

        g.bar->setSearchText("no such character zz");
        QCOMPARE(g.filter.rowCount(), 0);
        QCOMPARE(invite.rowCount(), 1);
        QVERIFY(g.view.showsEmptyState());
        g.bar->clearFilters();
        QVERIFY(!g.view.showsEmptyState());

        Character mine = g.library.characters().first();
        mine.name = "My voice";
        g.library.addUserCharacter(mine);
        QVERIFY(!invite.inviting());
        QCOMPARE(invite.rowCount(), g.filter.rowCount());
        for (int r = 0; r < invite.rowCount(); ++r)
            QVERIFY(!invite.index(r, 0).data(CloneInviteModel::InviteRole).toBool());
    }

    void genderChipChangesTheVisibleCount() {
        Gallery g;
        const int total = g.characters.rowCount();
        QVERIFY(total >= 12);
        QCOMPARE(g.filter.rowCount(), total);
        QCOMPARE(g.countLabel()->text(), QStringLiteral("%1 characters").arg(total));

        const int women = g.countWhere(CharacterModel::GenderRole, "female");
        QVERIFY(women > 0 && women < total);
        QSignalSpy changed(g.bar.get(), &FilterBar::filterChanged);
        QTest::mouseClick(g.chip("Gender: Female"), Qt::LeftButton);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(g.filter.rowCount(), women);
        QCOMPARE(g.countLabel()->text(), QStringLiteral("%1 of %2 characters").arg(women).arg(total));
        for (int r = 0; r < g.filter.rowCount(); ++r)
            QCOMPARE(g.filter.index(r, 0).data(CharacterModel::GenderRole).toString(), QStringLiteral("female"));

        QTest::mouseClick(g.chip("Gender: All"), Qt::LeftButton);
        QCOMPARE(g.filter.rowCount(), total);
    }

    void styleChipsNarrow() {
        Gallery g;
        const QString style = g.characters.index(0).data(CharacterModel::StylesRole).toStringList().value(0);
        QVERIFY(!style.isEmpty());
        ChipButton* chip = g.chip("Style: " + style);
        QVERIFY(chip);
        QTest::mouseClick(chip, Qt::LeftButton);
        QVERIFY(g.filter.rowCount() >= 1);
        QVERIFY(g.filter.rowCount() < g.characters.rowCount());
        for (int r = 0; r < g.filter.rowCount(); ++r)
            QVERIFY(g.filter.index(r, 0).data(CharacterModel::StylesRole).toStringList().contains(style));
    }

    void searchWithNoMatchShowsTheEmptyState() {
        Gallery g;
        g.view.resize(600, 400);
        g.view.show();
        QTest::keyClicks(g.bar->searchField(), "zzqx");
        QCOMPARE(g.filter.rowCount(), 0);
        QVERIFY(g.view.showsEmptyState());
        const auto labels = g.view.findChildren<QLabel*>();
        QVERIFY(std::any_of(labels.begin(), labels.end(), [](QLabel* l) { return l->text() == "No characters match 'zzqx'."; }));
        Q_EMIT g.view.clearFiltersRequested();
        QCOMPARE(g.filter.rowCount(), g.characters.rowCount());
        QVERIFY(!g.view.showsEmptyState());
        QVERIFY(g.bar->searchField()->text().isEmpty());
    }

    void filterStateIsRemembered() {
        QTemporaryDir dir;
        QSettings store(dir.filePath("ui.ini"), QSettings::IniFormat);
        int shown = 0;
        {
            Gallery g;
            g.bar->setGender("male");
            g.bar->setSearchText("e");
            shown = g.filter.rowCount();
            g.bar->saveState(store);
        }
        Gallery again;
        again.bar->restoreState(store);
        QCOMPARE(again.filter.gender(), QStringLiteral("male"));
        QCOMPARE(again.bar->searchField()->text(), QStringLiteral("e"));
        QCOMPARE(again.filter.rowCount(), shown);
        QVERIFY(again.chip("Gender: Male")->isChecked());
    }

    void keyboardMovesThroughTheCards() {
        Gallery g;
        g.view.resize(3 * 188 + 40, 600);   // three cards a row
        g.view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&g.view));
        g.view.setFocus();
        g.view.setCurrentIndex(g.filter.index(0, 0));
        QTest::keyClick(&g.view, Qt::Key_Right);
        QCOMPARE(g.view.currentIndex().row(), 1);
        QTest::keyClick(&g.view, Qt::Key_Down);
        QCOMPARE(g.view.currentIndex().row(), 4);
        QSignalSpy activated(&g.view, &GalleryView::activated);
        QTest::keyClick(&g.view, Qt::Key_Return);
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.front().front().toModelIndex().row(), 4);
    }

    void playButtonAsksForTheSample() {
        Gallery g;
        g.view.resize(800, 600);
        g.view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&g.view));
        const QModelIndex second = g.filter.index(1, 0);
        const QRect card = g.view.visualRect(second);
        QSignalSpy sample(&g.view, &GalleryView::sampleRequested);
        QTest::mouseClick(g.view.viewport(), Qt::LeftButton, {}, CharacterCardDelegate::playButtonRect(card).center());
        QCOMPARE(sample.size(), 1);
        QCOMPARE(sample.front().front().toModelIndex(), QModelIndex(second));
        // A click elsewhere on the card selects it and asks for nothing.
        QTest::mouseClick(g.view.viewport(), Qt::LeftButton, {}, card.center());
        QCOMPARE(sample.size(), 1);
        QCOMPARE(g.view.currentIndex(), QModelIndex(second));
    }

    void cardsReflowWithTheWidth() {
        Gallery g;
        g.view.resize(2 * 188 + 30, 600);
        g.view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&g.view));
        // Two cards a row: the third starts the second row.
        QCOMPARE(g.view.visualRect(g.filter.index(1, 0)).top(), g.view.visualRect(g.filter.index(0, 0)).top());
        QVERIFY(g.view.visualRect(g.filter.index(2, 0)).top() > g.view.visualRect(g.filter.index(0, 0)).top());
        // Five a row once the view is wide enough; cards keep their size.
        g.view.resize(5 * 188 + 30, 600);
        QTRY_COMPARE(g.view.visualRect(g.filter.index(4, 0)).top(), g.view.visualRect(g.filter.index(0, 0)).top());
        QCOMPARE(g.view.visualRect(g.filter.index(4, 0)).size(), g.view.visualRect(g.filter.index(0, 0)).size());
    }
};

QTEST_MAIN(TestGalleryFilters)
#include "tst_gallery_filters.moc"
