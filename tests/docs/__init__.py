"""The documentation runs: every page's code blocks, and the site builds."""
