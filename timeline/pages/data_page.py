"""Your data: open your own events file (ours or TimelineJS) for this browser session only."""

from __future__ import annotations

import streamlit as st

from timeline import load, ui


def _problems(result: load.EventsFile) -> None:
    st.error(
        f"{len(result.problems)} problem(s) in {ui.md(result.name)}. Each line says where "
        "(line as in the file, the header is line 1), which column, and what is wrong."
    )
    st.code("\n".join(str(p) for p in result.problems[:500]), language=None)
    if len(result.problems) > 500:
        st.caption(f"… and {len(result.problems) - 500:,} more.")


def render(ctx: ui.Context) -> None:
    st.title("Your data")
    ui.count_line(ctx)
    st.markdown(
        "Open your own timeline here: a CSV in our format (only `id`, `start_date` and `title` "
        "are required; see the data README for the other columns) or a sheet in the TimelineJS "
        "template as newsrooms export it. It replaces the bundled events **for this browser tab "
        "only**: nothing is written to the server and no other visitor sees it."
    )
    limit_mb = ui.upload_limit_mb()
    current = ui.user_file()
    if current is not None:
        st.success(
            f"Showing your file {ui.md(current.name)}: {len(current.events):,} events"
            + (f", {len(current.eras)} eras" if len(current.eras) else "")
            + f" ({'TimelineJS sheet' if current.format == 'timelinejs' else 'our format'})."
        )
        st.button(
            "Back to the bundled data", on_click=ui.use_bundled, key="back_bundled", type="primary"
        )
    uploaded = st.file_uploader(
        f"Events file (CSV, up to {limit_mb} MB)",
        type=["csv", "txt"],
        key="upload",
        on_change=ui.forget_pending,
        help=ui.TOO_LARGE,
        max_upload_size=limit_mb,
    )
    st.caption(ui.TOO_LARGE)
    upload = ui.pending_upload(uploaded)
    if upload is not None:
        result = upload.result
        if result.problems:
            _problems(result)
            if len(result.events):
                st.button(
                    f"Show the {len(result.events):,} valid rows anyway",
                    on_click=ui.use_file,
                    args=(upload,),
                    key="use_valid_rows",
                )
            else:
                st.info("No row could be read, so the dashboard stays on the bundled data.")
        elif not ui.is_shown(upload):
            ui.use_file(upload)
            st.rerun()
    st.subheader("Take the events out")
    st.markdown(
        "The events in the current selection, in our format, as JSON, or as a TimelineJS sheet "
        "to publish with TimelineJS. Cells that a spreadsheet would run as a formula are "
        "prefixed with a quote."
    )
    ui.downloads(ctx, key="data")


if __name__ == "__main__":
    render(ui.current_context())
