"""Floor for 'first chart': a heading and one small Plotly chart, nothing else."""

import plotly.graph_objects as go
import streamlit as st

st.title("One chart")
fig = go.Figure(go.Scatter(x=[1, 2, 3, 4, 5], y=[3, 1, 4, 1, 5], mode="markers+lines"))
fig.update_layout(height=300)
st.plotly_chart(fig, config={"displaylogo": False}, width="stretch")
