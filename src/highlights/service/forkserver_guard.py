"""Imported only in the multiprocessing forkserver that starts the summarizer processes (pool.py preloads it
there): it ties the forkserver's life to the server's (to the thread that started it, which
`pool.ensure_forkserver` keeps for the server's whole life), so that if the server is killed outright, the
forkserver dies, and with it every summarizer process (each dies with its parent, the forkserver).

Needed because a forkserver stays up while any process it started lives, and a summarizer stuck in a
computation never notices that the server is gone. Importing it also does the summarizers' imports once.
"""

from highlights.service.worker import die_with_parent

die_with_parent()
