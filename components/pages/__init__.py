"""Dashboard pages: read the store, build charts, render. The only package importing streamlit."""
