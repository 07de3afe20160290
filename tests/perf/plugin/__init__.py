"""A module package used by test_synthetic.py to check the ``synthetic.generate`` contract."""
