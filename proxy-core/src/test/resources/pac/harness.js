// Runs a PAC file the way a browser does, with the standard helper functions defined here (as
// Mozilla's and Chromium's PAC runtimes define them), and prints FindProxyForURL for each URL.
// DNS helpers throw: a generated PAC file must never resolve a name.
// usage: node harness.js proxy.pac url...
"use strict";
const fs = require("fs");
const vm = require("vm");

function ipToInt(ip) {
  const p = ip.split(".").map(Number);
  return (((p[0] << 24) >>> 0) + (p[1] << 16) + (p[2] << 8) + p[3]) >>> 0;
}
const sandbox = {
  dnsDomainIs: (host, domain) => host.length >= domain.length && host.endsWith(domain),
  shExpMatch: (str, exp) => new RegExp("^" + exp.replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*").replace(/\?/g, ".") + "$").test(str),
  isPlainHostName: (host) => host.indexOf(".") < 0,
  localHostOrDomainIs: (host, hostdom) => host === hostdom || hostdom.startsWith(host + "."),
  isInNet: (host, pattern, mask) => {
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(host)) throw new Error("isInNet would resolve " + host);
    return ((ipToInt(host) & ipToInt(mask)) >>> 0) === ((ipToInt(pattern) & ipToInt(mask)) >>> 0);
  },
  dnsResolve: (host) => { throw new Error("dnsResolve(" + host + ") called"); },
  isResolvable: (host) => { throw new Error("isResolvable(" + host + ") called"); },
  myIpAddress: () => "127.0.0.1",
};
vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(process.argv[2], "utf8"), sandbox);
for (const url of process.argv.slice(3)) {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  console.log(url + " " + sandbox.FindProxyForURL(url, host));
}
