"""Customers (issue 17): the customer list and page, value figures in use, the customer matrix
per region (seed 001) and the region page's figures."""
