"""Publishing: report documents, charts, and their HTML and Markdown renderings."""
