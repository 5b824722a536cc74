"""A tiny zprime plugin used by the tests (tests/test_plugins.py): one model and one constraint.

The tests "install" it without network by writing ``zprime_testplugin-0.1.dist-info/`` (METADATA and
entry_points.txt, what a wheel install produces) next to a copy of this package and putting that folder on
``sys.path``; :func:`importlib.metadata.entry_points` then finds the entry points:

    [zprime.models]
    testplugin = zprime_testplugin.plugin:provide_models

    [zprime.constraints]
    testplugin_toy_bound = zprime_testplugin.plugin:TOY_BOUND
"""
