"""The benchmark of ``python -m salesboard bench`` (issue 19): every page's cold and warm
render time and peak memory beside the naive read-everything-into-pandas pattern
(``naive``), and the memory of N open sessions (``runner``). Its own import layer, under the
entry points and above the demo: it drives the whole app through Streamlit's AppTest."""
