import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalCidr } from '../src/cidr.ts';

test('well-formed IPv4 and IPv6 CIDRs are accepted in canonical form; a bare address is one host', () => {
  assert.equal(canonicalCidr('203.0.113.0/24'), '203.0.113.0/24');
  assert.equal(canonicalCidr(' 10.0.0.0/8 '), '10.0.0.0/8');
  assert.equal(canonicalCidr('0.0.0.0/0'), '0.0.0.0/0');
  assert.equal(canonicalCidr('198.51.100.7'), '198.51.100.7/32');
  assert.equal(canonicalCidr('2001:DB8::/32'), '2001:db8::/32');
  assert.equal(canonicalCidr('::1'), '::1/128');
  assert.equal(canonicalCidr('::ffff:192.0.2.1/128'), '::ffff:192.0.2.1/128');
  assert.equal(canonicalCidr('10.0.0.0/008'), '10.0.0.0/8');
});

test('malformed entries are refused', () => {
  for (const bad of [
    '', '/', '10.0.0.0/', '10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/8/8', '256.0.0.1', '10.0.0', '10.0.0.0/ 8', '10.0.0.0/0x8',
    '2001:db8::/129', '2001:db8:::/64', 'fe80::1%eth0/64', 'example.com', '*', '10.0.0.0/8,10.0.0.0/9', '1e1/8',
  ]) {
    assert.equal(canonicalCidr(bad), undefined, bad);
  }
});
