"""The inbound API service (issue 17): a small HTTP service beside the app that website forms
and marketing tools post leads to."""
