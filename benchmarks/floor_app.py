"""Streamlit's own floor for the load benchmark: a page with a title and one small Altair chart, served by
`streamlit run` like the app. What a browser takes to draw it is what any Streamlit page costs on this host
(the front end's scripts compiled, React, Vega's start-up), against which the lab's first chart is read."""

import altair as alt
import pandas as pd
import streamlit as st

st.title("Floor")
points = pd.DataFrame({"x": range(20), "y": range(20)})
st.altair_chart(alt.Chart(points).mark_point().encode(x="x:Q", y="y:Q"))
