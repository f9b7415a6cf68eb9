"""Execute notebooks: an IPython shell per submission, forked from a warm process."""
