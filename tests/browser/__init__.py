"""Browser tests: JupyterLab driven by headless Chromium (Playwright)."""
