"""Floor for 'first text': a Streamlit page that writes one line (a heading, so an h1)."""

import streamlit as st

st.write("# Nagorno-Karabakh, 1918–2024: a sourced timeline")
