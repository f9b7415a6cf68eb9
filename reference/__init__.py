"""Reference solutions and answer checks for the calculus-for-ML course.

``reference.lessons`` holds a correct implementation of every lesson's task;
``reference.checks`` holds the answer checks the hidden tests call.
"""
