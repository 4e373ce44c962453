"""Support requests (资源协调, issue 17, DOMAIN §6): help a deal asks of another department,
each department's queue, and response-time standards in working days."""
