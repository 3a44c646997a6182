"""Stories: guided sequences of events, one step at a time, with the card, timeline and map.

The story and step are in the URL (`?story=first-war&step=3`), so a link opens that step;
Previous / Next (or the left and right arrow keys) move through it; "Present" hides the
sidebar and menus for a class or a talk.
"""

from __future__ import annotations

import streamlit as st

from timeline import publish, query, stories, story_charts, ui

STORY, STEP = "story_id", "story_step"


def _seed(package) -> dict[str, str]:
    """Story and step from the URL the first time the page runs in a session (or a new link)."""
    known = stories.titles(package)
    url = (st.query_params.get("story"), st.query_params.get("step"))
    if st.session_state.get("_story_url") != url or STORY not in st.session_state:
        st.session_state["_story_url"] = url
        story = url[0] if url[0] in known else next(iter(known), None)
        st.session_state[STORY] = story
        count = len(stories.steps_of(package, story)) if story else 1
        st.session_state[STEP] = stories.clamp(url[1] or 1, count)
    return known


def _move(by: int, count: int) -> None:
    st.session_state[STEP] = stories.clamp(st.session_state.get(STEP, 1) + by, count)


def _restart() -> None:
    st.session_state[STEP] = 1


PRESENT_CSS = """
<style>
section[data-testid="stSidebar"], div[data-testid="stSidebarCollapsedControl"],
header[data-testid="stHeader"], div[data-testid="stToolbar"] {display: none !important;}
.block-container {max-width: 100% !important; padding-top: 1rem !important;}
</style>
"""


def render(ctx: ui.Context) -> None:
    pkg = ctx.package
    known = _seed(pkg)
    st.title("Stories")
    ui.count_line(ctx)
    st.caption("A story shows its own events and those around them, whatever the filters.")
    if not known:
        st.info("The data shown has no stories (data/stories.csv).")
        return
    top = st.columns([3, 1], vertical_alignment="bottom")
    story_id = top[0].selectbox(
        "Story",
        list(known),
        format_func=lambda s: known[s],
        key=STORY,
        on_change=_restart,
    )
    present = top[1].toggle(
        "Present", key="present", help="Full width, without the sidebar and menus."
    )
    if present:
        st.markdown(PRESENT_CSS, unsafe_allow_html=True)
    step = stories.step(pkg, story_id, st.session_state.get(STEP, 1))
    if step is None:
        return
    st.session_state[STEP] = step.number
    st.query_params["story"] = step.story_id
    st.query_params["step"] = str(step.number)
    st.session_state["_story_url"] = (step.story_id, str(step.number))

    nav = st.columns([1, 3, 1], vertical_alignment="center")
    nav[0].button(
        "Previous",
        icon=":material/arrow_back:",
        on_click=_move,
        args=(-1, step.count),
        disabled=step.number == 1,
        shortcut="Left",
        key="story_prev",
        width="stretch",
    )
    nav[1].progress(
        step.number / step.count,
        text=f"Step {step.number} of {step.count} · {ui.md(known[story_id])}",
    )
    nav[2].button(
        "Next",
        icon=":material/arrow_forward:",
        icon_position="right",
        on_click=_move,
        args=(1, step.count),
        disabled=step.number == step.count,
        shortcut="Right",
        key="story_next",
        width="stretch",
    )
    st.markdown(f"### {ui.md(step.caption)}")
    st.caption("Use the arrow keys ← → or the buttons to move through the story.")

    events = ui.filtered(pkg, query.View(names=ctx.view.names))
    left, right = st.columns([3, 2])
    with left:
        ui.event_card(ctx, step.event_id)
    with right:
        if not pkg.places.empty:
            ui.chart(
                story_charts.story_map(events, pkg.places, ctx.places, step),
                publish.Meta(
                    name=f"story-{step.story_id}-step-{step.number}-map",
                    title=known[story_id],
                    subtitle=f"Step {step.number}: where it happened",
                ),
                key="story_map",
            )
    ui.chart(
        story_charts.story_timeline(events, pkg.eras, ctx.places, step),
        publish.Meta(
            name=f"story-{step.story_id}-step-{step.number}-timeline",
            title=known[story_id],
            subtitle=f"Step {step.number} of {step.count}, with the events around it",
            source="events.csv; each event's sources are listed on its card",
        ),
        key="story_timeline",
    )
    st.download_button(
        "Download this story for TimelineJS (captions and sources)",
        stories.timelinejs_story_csv(pkg, story_id),
        f"story-{story_id}-timelinejs.csv",
        "text/csv",
        on_click="ignore",
        key="story_tljs",
    )
    if present:
        st.caption(f"Embed or share: {ui.md(ui.share_link())}")


if __name__ == "__main__":
    render(ui.current_context())
