"""The Streamlit layer: page plumbing (language, URL, sidebar controls, cached runs) and navigation.
The only part of the package that imports streamlit."""
