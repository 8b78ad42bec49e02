"""Cross-channel identity in conversation (issue 11): the tourist proves a phone number with a code
the platform texts to it, then sees the bookings and complaints filed with that number on any
channel (WeChat, web widget, REST, guide devices).

* :mod:`.reading`: codes and channel names as tourists and channels write them;
* :mod:`.form` (``identity_form``): asks the number, has the platform text a code, checks it;
* :mod:`.records` (``action_show_my_records``): lists the verified number's records.

Neither the number nor the code is kept in the tracker: the slots hold a masked number, the
platform's challenge id and a ``verified`` marker only, and are cleared when the flow ends.
"""
