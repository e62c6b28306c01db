"""The Recipients tab: table model (no widgets), the tab, the forms and the categories dialog."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox

from crofton_desk.services import categories as categories_service
from crofton_desk.services import recipients as service
from crofton_desk.store.database import Database
from crofton_desk.store.models import Transfer
from crofton_desk.ui.categories_dialog import CategoriesDialog, CategoriesTableModel
from crofton_desk.ui.recipient_dialog import DeactivateDialog, RecipientDialog
from crofton_desk.ui.recipients_tab import (
    ID_ROLE,
    RecipientsFilterProxy,
    RecipientsTab,
    RecipientsTableModel,
)
from crofton_desk.ui.school_quick_add import SchoolQuickAddDialog


def _count(db: Database) -> int:
    return len(service.list_recipients(db, include_inactive=True))


def _log_transfer(db: Database, name: str, day: date) -> None:
    found = service.find_recipient(db, name)
    assert found is not None
    with db.session.begin() as session:
        session.add(Transfer(transfer_date=day, organisation_id=found.id, method="post"))


def _column(model: Any, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


# --- the model, without widgets ----------------------------------------------------------------


def test_model_shows_register_facts(qapp: object, db: Database) -> None:
    _log_transfer(db, "Ofsted", date(2026, 3, 2))
    model = RecipientsTableModel()
    model.set_rows(service.list_recipients(db, include_inactive=True))
    assert model.rowCount() == 11
    assert model.columnCount() == 9
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    names = _column(model, RecipientsTableModel.NAME)
    row = next(i for i, name in enumerate(names) if name == "Ofsted")
    assert model.index(row, RecipientsTableModel.KIND).data() == "Regulator"
    assert model.index(row, RecipientsTableModel.BASIS).data() == "Public task (Art 6(1)(e))"
    assert model.index(row, RecipientsTableModel.IDENTIFIABLE).data() == "Statistics only"
    assert model.index(row, RecipientsTableModel.TRANSFERS).data() == "1"
    assert model.index(row, RecipientsTableModel.LAST).data() == "Mon 2 Mar 2026"
    assert model.index(row, RecipientsTableModel.ACTIVE).data() == "Yes"
    assert "Attendance" in model.index(row, RecipientsTableModel.CATEGORIES).data()
    purposes = model.index(row, RecipientsTableModel.PURPOSES)
    assert len(purposes.data()) <= 90
    assert purposes.data(Qt.ItemDataRole.ToolTipRole).startswith("Uses information")
    assert "Office for National Statistics (onward, via DfE)" in names


def test_proxy_filters_sorts_and_hides_inactive(qapp: object, db: Database) -> None:
    _log_transfer(db, "Ofsted", date(2026, 3, 2))
    _log_transfer(db, "Ofsted", date(2026, 4, 2))
    _log_transfer(db, "Department for Education", date(2026, 1, 9))
    model = RecipientsTableModel()
    proxy = RecipientsFilterProxy()
    proxy.setSourceModel(model)
    model.set_rows(service.list_recipients(db, include_inactive=True))
    assert proxy.rowCount() == 10
    proxy.set_show_inactive(True)
    assert proxy.rowCount() == 11
    proxy.sort(RecipientsTableModel.TRANSFERS, Qt.SortOrder.DescendingOrder)
    assert _column(proxy, RecipientsTableModel.NAME)[:2] == ["Ofsted", "Department for Education"]
    proxy.sort(RecipientsTableModel.NAME, Qt.SortOrder.AscendingOrder)
    assert _column(proxy, 0)[0] == "Another school to which a pupil transfers"
    proxy.set_text("government council")
    assert _column(proxy, 0) == ["Learning and Skills Council"]
    proxy.set_show_inactive(False)
    assert _column(proxy, 0) == []
    proxy.set_text("  NHS ")
    assert _column(proxy, 0) == ["NHS healthcare bodies (school nursing team)"]


# --- the tab -----------------------------------------------------------------------------------


def test_tab_search_filters_as_you_type(qtbot: Any, ctx: Any) -> None:
    tab = RecipientsTab(ctx)
    qtbot.addWidget(tab)
    assert tab.proxy.rowCount() == 10
    qtbot.keyClicks(tab.search, "regul")
    assert _column(tab.proxy, 0) == ["Ofsted"]
    assert "1 shown of 11" in tab.count_label.text()
    tab.search.clear()
    tab.show_inactive.setChecked(True)
    assert tab.proxy.rowCount() == 11


def test_tab_show_item_selects_and_describes(qtbot: Any, ctx: Any) -> None:
    tab = RecipientsTab(ctx)
    qtbot.addWidget(tab)
    tab.show_item("learning and skills council")
    assert tab.show_inactive.isChecked()
    lsc = service.find_recipient(ctx.db, "Learning and Skills Council")
    assert lsc is not None
    assert tab.selected_id() == lsc.id
    assert "Inactive since 31 March 2010" in tab.details.toPlainText()
    assert tab.active_button.text() == "&Reactivate"


def test_tab_refreshes_after_add_and_selects_row(qtbot: Any, ctx: Any) -> None:
    tab = RecipientsTab(ctx)
    qtbot.addWidget(tab)
    added = service.add_school(ctx.db, name="Outwood Academy", dfe_number="3844001")
    tab._changed(added.id)
    assert tab.proxy.rowCount() == 11
    assert tab.selected_id() == added.id
    assert tab.table.selectionModel().selectedRows()[0].data(ID_ROLE) == added.id


# --- the form ----------------------------------------------------------------------------------


def test_duplicate_name_shown_beside_field_nothing_written(qtbot: Any, ctx: Any) -> None:
    dialog = RecipientDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "  OFSTED ")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    message = dialog.errors.text("name")
    assert "'Ofsted' is already in the register" in message
    assert dialog.findChild(type(dialog.errors.labels["name"]), "error_name") is not None
    assert dialog.saved is None
    assert dialog.save_button.isEnabled()
    assert _count(ctx.db) == 11


def test_valid_save_adds_row_to_tab(qtbot: Any, ctx: Any) -> None:
    tab = RecipientsTab(ctx)
    qtbot.addWidget(tab)
    dialog = RecipientDialog(ctx, None, tab)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "Wakefield Music Service")
    dialog.kind.setCurrentIndex(dialog.kind.findData("local_authority"))
    dialog.purposes.setPlainText("Instrument lessons")
    contact_id = next(
        c.id for c in categories_service.list_categories(ctx.db) if c.name == "Contact details"
    )
    dialog.category_boxes[contact_id].setChecked(True)
    qtbot.keyClicks(dialog.agreement_review_date.edit, "01/09/2027")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None, dialog.errors.labels
    assert dialog.saved.data.agreement_review_date == date(2027, 9, 1)
    tab.refresh()
    assert "Wakefield Music Service" in _column(tab.proxy, 0)


def test_double_click_save_saves_once(qtbot: Any, ctx: Any) -> None:
    dialog = RecipientDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Crofton Parish Council")
    qtbot.mouseDClick(dialog.save_button, Qt.MouseButton.LeftButton)
    dialog.save()  # and once more, for good measure
    assert _count(ctx.db) == 12
    assert [r.name for r in service.list_recipients(ctx.db, text="parish")] == [
        "Crofton Parish Council"
    ]


def test_art9_required_when_special_category_ticked(qtbot: Any, ctx: Any) -> None:
    dialog = RecipientDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "Dental survey")
    medical = next(
        c.id for c in categories_service.list_categories(ctx.db) if c.name == "Medical information"
    )
    box: QCheckBox = dialog.category_boxes[medical]
    assert "Needed only when" in dialog.art9_hint.text()
    box.setChecked(True)
    assert "Required: Medical information is special category data" in dialog.art9_hint.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "special category data" in dialog.errors.text("art9_condition")
    assert _count(ctx.db) == 11
    dialog.art9_condition.setPlainText("Art 9(2)(h) health or social care")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None
    assert _count(ctx.db) == 12


def test_bad_review_date_and_email_beside_fields(qtbot: Any, ctx: Any) -> None:
    dialog = RecipientDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.name, "Somebody")
    qtbot.keyClicks(dialog.agreement_review_date.edit, "31/02/2027")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "not a real date" in dialog.errors.text("agreement_review_date")
    dialog.agreement_review_date.clear()
    qtbot.keyClicks(dialog.contact_email, "nobody@")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "not an email address" in dialog.errors.text("contact_email")
    assert dialog.errors.text("agreement_review_date") == ""
    assert _count(ctx.db) == 11


def test_edit_existing_keeps_values(qtbot: Any, ctx: Any) -> None:
    dfe = service.find_recipient(ctx.db, "Department for Education")
    assert dfe is not None
    dialog = RecipientDialog(ctx, dfe.id)
    qtbot.addWidget(dialog)
    assert dialog.name.text() == "Department for Education"
    assert dialog.statistics_only.isChecked()
    assert dialog.kind.currentData() == "government_department"
    dialog.notes.setPlainText("Census each term")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None
    after = service.get_recipient(ctx.db, dfe.id)
    assert after.data.notes == "Census each term"
    assert after.categories == dfe.categories
    assert after.data.art9_condition == dfe.data.art9_condition


def test_school_quick_add_validates_dfe_number(qtbot: Any, ctx: Any) -> None:
    dialog = SchoolQuickAddDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.local_authority.text() == "Wakefield Metropolitan District Council"
    qtbot.keyClicks(dialog.name, "Outwood Academy Walton")
    qtbot.keyClicks(dialog.dfe_number, "38440")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "7 digits" in dialog.errors.text("dfe_number")
    assert _count(ctx.db) == 11
    qtbot.keyClicks(dialog.dfe_number, "01")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None
    assert dialog.saved.data.kind == "school"
    assert dialog.saved.data.dfe_number == "3844001"


def test_deactivate_dialog_needs_reason(qtbot: Any, ctx: Any) -> None:
    ofsted = service.find_recipient(ctx.db, "Ofsted")
    assert ofsted is not None
    dialog = DeactivateDialog(ctx, ofsted, today=date(2026, 10, 5))
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "Say why" in dialog.errors.text("reason")
    assert service.get_recipient(ctx.db, ofsted.id).active
    dialog.reason.setPlainText("Replaced by a new inspectorate")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    after = service.get_recipient(ctx.db, ofsted.id)
    assert not after.active
    assert after.deactivated_on == date(2026, 10, 5)


# --- data categories ---------------------------------------------------------------------------


def test_categories_model_and_dialog(qtbot: Any, ctx: Any) -> None:
    model = CategoriesTableModel()
    model.set_rows(categories_service.list_categories(ctx.db))
    assert model.rowCount() == 6
    assert model.index(5, CategoriesTableModel.SPECIAL).data() == "Yes"
    dialog = CategoriesDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    assert not dialog.delete_button.isEnabled()  # in use
    extra = categories_service.add_category(ctx.db, "Photographs")
    dialog.refresh(extra.id)
    assert dialog.selected() is not None and dialog.selected().name == "Photographs"
    assert dialog.delete_button.isEnabled()
    dialog.toggle_special()
    assert categories_service.get_category(ctx.db, extra.id).special_category
    dialog.toggle_active()
    assert not categories_service.get_category(ctx.db, extra.id).active
