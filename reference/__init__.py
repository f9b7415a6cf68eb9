"""Reference solutions and answer checks for the calculus-for-ML course.

``reference.lessons`` holds a correct implementation of every lesson's task;
``reference.checks`` holds the answer checks; ``reference.answers`` turns a
student's answer into plain data (the only part a student's process holds
under ``autograder grade``); ``reference.grading`` judges that data per part.
"""
