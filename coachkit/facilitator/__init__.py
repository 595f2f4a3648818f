"""A workshop room: `make room` (coachkit.facilitator.room) and the facilitator's page (.page) in the web app.

The room command serves the web app on the machine's network address and prints the address learners type,
with a QR code and the facilitator key. The facilitator page (<base_url>coachkit/facilitator/) runs a session
without a notebook: the group board, a full-screen round timer, the triads for the whole room and the
scenario cards. It is reachable only with the facilitator key.
"""
