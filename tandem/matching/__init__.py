"""Matching engine: rules, scores with reasons, suggestions and certified cohort assignment.

Plain Python with NumPy, SciPy and OR-Tools; nothing here imports Django.
"""
