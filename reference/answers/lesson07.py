"""Lesson 7 answers: numbers, arrays and index sets, each travelling as itself."""
