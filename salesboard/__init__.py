"""Salesboard: sales process control and evaluation over a SQL store."""

__version__ = "0.1.0"
