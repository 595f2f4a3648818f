"""The course as a maintainer runs it: the lesson catalog, agendas, exercises and notebook metadata."""
