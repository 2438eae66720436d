"""Events (bijeenkomsten): meetings, guest lessons, company visits, with their workshops,
registrations, attendance and pupils reached, which feed the indicators counted from them."""
