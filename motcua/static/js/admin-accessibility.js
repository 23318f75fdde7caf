"use strict";
// Gaps in Django's admin widgets, closed here for every admin page (WCAG 1.3.1, 4.1.2, 2.5.3):
// - the fields of a tabular inline have no <label>, only their column's heading: each control
//   gets the heading's text as its name;
// - the autocomplete fields (Select2) render a combobox and a read-only textbox with no name:
//   both get the field's label (its <label>, or its column heading);
// - the date shortcut "Today" is named by a message Django's Vietnamese catalog lacks
//   ("Today (…)") while its visible text is translated ("Hôm nay"): the name is rebuilt from the
//   visible text, so that what is seen is what a speech-input user says.
{
    const CONTROLS = "input:not([type=hidden]), select, textarea";

    const text = (element) => element.textContent.replace(/\s+/g, " ").trim();

    // The heading of the table column the control sits in, if it is in a table.
    const columnHeading = (control) => {
        const cell = control.closest("td");
        const table = cell && cell.closest("table");
        const header = table && table.tHead && table.tHead.rows[0];
        const heading = header && header.cells[cell.cellIndex];
        return heading ? text(heading) : "";
    };

    const fieldLabel = (control) => {
        const label = control.labels && Array.from(control.labels).find((element) => text(element));
        return label ? text(label).replace(/:$/, "") : columnHeading(control);
    };

    const hasName = (control) =>
        (control.getAttribute("aria-label") || "").trim() ||
        control.getAttribute("aria-labelledby") ||
        Array.from(control.labels || []).some((label) => text(label));

    const nameTableControls = (root) => {
        root.querySelectorAll(".tabular td").forEach((cell) => {
            cell.querySelectorAll(CONTROLS).forEach((control) => {
                const name = !hasName(control) && columnHeading(control);
                if (name) {
                    control.setAttribute("aria-label", name);
                }
            });
        });
    };

    const nameAutocompletes = (root) => {
        root.querySelectorAll("select.admin-autocomplete").forEach((select) => {
            const container = select.nextElementSibling;
            const name = container && container.classList.contains("select2") && fieldLabel(select);
            if (!name) {
                return;
            }
            container.querySelectorAll('[role="combobox"], [role="textbox"]').forEach((element) => {
                if (element.getAttribute("aria-label") !== name) {
                    element.setAttribute("aria-label", name);
                }
            });
        });
    };

    const nameDateShortcuts = (root) => {
        root.querySelectorAll(".datetimeshortcuts a[aria-label]").forEach((link) => {
            const visible = text(link);
            const label = link.getAttribute("aria-label");
            if (!visible || label.includes(visible)) {
                return;
            }
            const date = label.match(/\(([^()]*)\)\s*$/);
            link.setAttribute("aria-label", date ? `${visible} (${date[1]})` : visible);
        });
    };

    const fix = () => {
        nameTableControls(document);
        nameAutocompletes(document);
        nameDateShortcuts(document);
    };

    // The widgets are built by Django's scripts after the page has loaded, and again for each
    // inline row added: follow the document rather than guess when they are done.
    document.addEventListener("DOMContentLoaded", () => {
        fix();
        new MutationObserver(fix).observe(document.body, {childList: true, subtree: true});
    });
}
