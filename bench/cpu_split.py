#!/usr/bin/env python3
"""cpu_split.py SAMPLES PORT PEER LOG...

For each harness window of PEER in the harness LOGs, the process that listened on PORT: its user
and system CPU in µs per request (per unit of the test) and its voluntary and involuntary context
switches per request, its read and write system calls per request, from the 1-s samples of bench/cpu-sampler.sh that fall inside the window
(clock ticks of 10 ms: over a window of ~100 000 requests, 0.1 µs per request). The harness's own
CPU figure for the window is printed beside it. Context switches are summed over the threads
alive at each sample, so a thread that ends inside a window takes its count with it (a negative
figure shows it)."""
import sys, re, datetime
smp=[l.split() for l in open(sys.argv[1])]
port=sys.argv[2]; peer=sys.argv[3]
# Lines of an older sampler have no system-call counts: those read as 0.
S=[(s[1],float(s[2]),int(s[3]),int(s[4]),int(s[5]),int(s[6]),int((s+['0','0'])[7]),int((s+['0','0'])[8]))
   for s in smp if s[0]==port]
day=datetime.datetime.utcfromtimestamp(S[0][1]).date()
for log in sys.argv[4:]:
  for line in open(log):
    m=re.search(r'(\d\d:\d\d:\d\d) (\S+) (\S+) rep.*window_s=([\d.]+) ok=(\d+).*proxy_cpu_us_per_req=([\d.]+)',line)
    if not m or m.group(3)!=peer: continue
    end=datetime.datetime.combine(day,datetime.time.fromisoformat(m.group(1))).replace(tzinfo=datetime.timezone.utc).timestamp()
    start=end-float(m.group(4))
    inside=[s for s in S if start+0.5<=s[1]<=end-0.2]
    if len(inside)<2 or inside[0][0]!=inside[-1][0]: continue
    a,b=inside[0],inside[-1]; dt=b[1]-a[1]; units=int(m.group(5))/float(m.group(4))*dt
    f=1e6/100/units
    u=(b[2]-a[2])*f; s_=(b[3]-a[3])*f
    print(f"{log.split('/')[-1]:28s} {m.group(1)} {m.group(2):12s} harness={float(m.group(6)):7.1f} user={u:6.1f} sys={s_:6.1f} sum={u+s_:6.1f} vcsw={(b[4]-a[4])/units:.2f} ivcsw={(b[5]-a[5])/units:.2f} reads={(b[6]-a[6])/units:.2f} writes={(b[7]-a[7])/units:.2f}")
