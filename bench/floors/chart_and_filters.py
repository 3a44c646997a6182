"""The one-chart floor plus the dashboard's sidebar filters: the same nine widgets, of the same
kinds, in the same order, with nothing behind them. What it adds over `one_chart.py` is what
the filters alone cost a page load, whatever the app does."""

import datetime as dt

import plotly.graph_objects as go
import streamlit as st

st.title("One chart")
fig = go.Figure(go.Scatter(x=[1, 2, 3, 4, 5], y=[3, 1, 4, 1, 5], mode="markers+lines"))
fig.update_layout(height=300)
st.plotly_chart(fig, config={"displaylogo": False}, width="stretch")

side = st.sidebar
side.radio("Place names", ["International", "Armenian usage", "Azerbaijani usage"], horizontal=True)
side.date_input("Dates", value=(dt.date(1918, 3, 30), dt.date(2024, 1, 1)), format="YYYY-MM-DD")
side.multiselect("Categories", ["Political", "Military", "Humanitarian"], placeholder="All")
side.multiselect("Actors", ["Armenia", "Azerbaijan", "Russia"], placeholder="All actors")
side.selectbox("Place", ["Any place", "Stepanakert", "Shusha"])
side.multiselect("Source perspective", ["Armenian", "Azerbaijani"], placeholder="Any")
side.selectbox("Sources behind the event", ["Any sources", "Two or more perspectives"])
side.text_input("Search", placeholder="e.g. Khojaly, ICJ, fuel")
side.button("Reset filters", width="stretch")
