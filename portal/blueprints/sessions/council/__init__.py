"""The council itself: bodies, members and their seats, sessions, agendas, attendance and the
session documents (the clerk's verbs in ``services``/``composition``/``documents``, the public
reads in ``queries``)."""
