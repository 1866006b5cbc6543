"""The dashboard's entry: page config, navigation over the pages, sample data on first start."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components.pages import actors, admin, articles, briefing, casualties, ingest, negotiations, overview, trends
from components.pages.auth_ui import sign_in_gate
from components.pages.browser_session import return_to_requested_page
from components.pages.common import ensure_samples
from components.pages.corrections_ui import render_audit

FAVICON = Path(__file__).parent / "components" / "pages" / "favicon.png"

# The icon is a file of ours: a Material icon name would have the browser fetch it from a font server.
st.set_page_config(page_title="Conflict & Diplomacy Monitor", page_icon=str(FAVICON), layout="wide")

# Sign-in (OIDC, built-in accounts, or single-user): shows a sign-in screen and stops until someone is signed in.
principal = sign_in_gate()
if principal.name is None:
    ensure_samples()  # single-user only: a team's shared database is never filled with the invented samples

home = st.Page(overview.render, title="Overview", icon=":material/dashboard:", url_path="home", default=True)


def overview_by_name() -> None:
    """/overview: Streamlit serves the default page at "/" only, so its name in an address would
    be "Page not found"; it goes to "/" with the rest of the address (the filters) kept."""
    st.switch_page(home, query_params={key: st.query_params.get_all(key) for key in st.query_params})


pages = [
    home,
    st.Page(overview_by_name, title="Overview", url_path="overview", visibility="hidden"),
    st.Page(actors.render, title="Actors", icon=":material/groups:", url_path="actors"),
    st.Page(casualties.render, title="Casualties", icon=":material/personal_injury:", url_path="casualties"),
    st.Page(trends.render, title="Trends", icon=":material/trending_up:", url_path="trends"),
    st.Page(negotiations.render, title="Negotiations", icon=":material/handshake:", url_path="negotiations"),
    st.Page(articles.render, title="Articles", icon=":material/article:", url_path="articles"),
    st.Page(briefing.render, title="Export & briefing", icon=":material/download:", url_path="briefing"),
    st.Page(ingest.render, title="Ingest", icon=":material/upload_file:", url_path="ingest"),
    st.Page(render_audit, title="Audit", icon=":material/history:", url_path="audit"),
]
if principal.can("admin"):  # not routed for anyone else: to them /admin is an unknown page
    pages.append(st.Page(admin.render, title="Admin", icon=":material/admin_panel_settings:", url_path="admin"))
current = st.navigation(pages)
return_to_requested_page(current, pages)  # after a sign-in: the page and parameters the link asked for
current.run()
