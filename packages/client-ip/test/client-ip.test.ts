import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createAddressResolver, isAddressAllowed, isCidr, isRangeWithin, parseRange } from '../src/index.ts';

describe('ranges', () => {
  test('accepts IPv4 and IPv6 ranges and bare addresses', () => {
    for (const ok of ['203.0.113.0/24', '0.0.0.0/0', '198.51.100.7', '2001:db8::/32', '::/0', '::1', '::ffff:192.0.2.0/120']) {
      assert.ok(isCidr(ok), ok);
    }
  });

  test('refuses malformed entries and unusual IPv4 notations', () => {
    for (const bad of ['', '203.0.113.0/33', '2001:db8::/129', '203.0.113.0/24/1', '203.0.113.0/-1', '203.0.113.0/ 8',
      '0x7f.1', '127.1', '10.0.0.256', 'localhost', '2001:db8::/', '::ffff:192.0.2.0/64']) {
      assert.ok(!isCidr(bad), bad);
    }
  });

  test('an IPv4-mapped IPv6 range is the IPv4 range it covers', () => {
    const range = parseRange('::ffff:192.0.2.0/120')!;
    assert.equal(range[0].kind(), 'ipv4');
    assert.equal(range[1], 24);
  });

  test('a range lies within another only when every address of it does', () => {
    assert.ok(isRangeWithin('203.0.113.0/25', '203.0.113.0/24'));
    assert.ok(isRangeWithin('203.0.113.7', '203.0.113.0/24'));
    assert.ok(isRangeWithin('203.0.113.0/24', '203.0.113.0/24'));
    assert.ok(isRangeWithin('2001:db8:1:2::/64', '2001:db8:1::/48'));
    assert.ok(!isRangeWithin('203.0.112.0/23', '203.0.113.0/24'), 'wider than the bound');
    assert.ok(!isRangeWithin('198.51.100.0/24', '203.0.113.0/24'), 'elsewhere');
    assert.ok(!isRangeWithin('::ffff:203.0.113.0/120', '2001:db8::/32'), 'IPv4 is never inside an IPv6 bound');
    assert.ok(!isRangeWithin('0.0.0.0/0', '203.0.113.0/24'));
    assert.ok(!isRangeWithin('nonsense', '0.0.0.0/0'));
  });
});

describe('allowlist', () => {
  const list = ['203.0.113.0/24', '2001:db8:1::/48'];

  test('an empty list lets any address through', () => {
    assert.ok(isAddressAllowed([], '198.51.100.1'));
    assert.ok(isAddressAllowed([], undefined));
  });

  test('IPv4 inside and outside', () => {
    assert.ok(isAddressAllowed(list, '203.0.113.77'));
    assert.ok(!isAddressAllowed(list, '203.0.114.1'));
  });

  test('IPv6 inside and outside', () => {
    assert.ok(isAddressAllowed(list, '2001:db8:1:ffff::5'));
    assert.ok(!isAddressAllowed(list, '2001:db8:2::5'));
  });

  test('an IPv4-mapped IPv6 caller matches the IPv4 range, and never an IPv6 one by accident', () => {
    assert.ok(isAddressAllowed(list, '::ffff:203.0.113.9'));
    assert.ok(!isAddressAllowed(['::/0'], '::ffff:203.0.113.9'));
    assert.ok(isAddressAllowed(['::ffff:203.0.113.0/120'], '203.0.113.9'));
  });

  test('an unknown or malformed address is refused when a list is set', () => {
    assert.ok(!isAddressAllowed(list, undefined));
    assert.ok(!isAddressAllowed(list, 'not-an-ip'));
  });

  test('a malformed stored entry matches nothing and breaks nothing', () => {
    assert.ok(!isAddressAllowed(['garbage'], '203.0.113.1'));
    assert.ok(isAddressAllowed(['garbage', '203.0.113.0/24'], '203.0.113.1'));
  });
});

describe('client address', () => {
  test('without trusted proxies X-Forwarded-For is ignored', () => {
    const resolve = createAddressResolver([]);
    assert.equal(resolve('198.51.100.1', '203.0.113.5'), '198.51.100.1');
    assert.equal(resolve('::ffff:198.51.100.1', undefined), '198.51.100.1');
    assert.equal(resolve('::1', '203.0.113.5'), '::1');
  });

  test('a connection that is not from a trusted proxy is its own address, whatever it claims', () => {
    const resolve = createAddressResolver(['10.0.0.0/8']);
    assert.equal(resolve('198.51.100.1', '203.0.113.5'), '198.51.100.1');
  });

  test('from a trusted proxy, the right-most untrusted hop is the client', () => {
    const resolve = createAddressResolver(['10.0.0.0/8', 'fd00::/8']);
    assert.equal(resolve('10.0.0.1', '203.0.113.5'), '203.0.113.5');
    // the client prepended a spoofed hop; our proxies appended the real one and themselves
    assert.equal(resolve('10.0.0.1', '192.0.2.66, 203.0.113.5, 10.0.0.9'), '203.0.113.5');
    assert.equal(resolve('::ffff:10.0.0.1', '2001:db8::7, fd00::1'), '2001:db8::7');
    assert.equal(resolve('fd00::2', '[2001:db8::7]:4711'), '2001:db8::7');
    assert.equal(resolve('10.0.0.1', '203.0.113.5:4711'), '203.0.113.5');
  });

  test('a trusted proxy without the header, or with only proxies in it', () => {
    const resolve = createAddressResolver(['10.0.0.0/8']);
    assert.equal(resolve('10.0.0.1', undefined), '10.0.0.1');
    assert.equal(resolve('10.0.0.1', '10.0.0.3, 10.0.0.2'), '10.0.0.3');
  });

  test('a hop no proxy could have written makes the address unknown', () => {
    const resolve = createAddressResolver(['10.0.0.0/8']);
    assert.equal(resolve('10.0.0.1', 'evil, 10.0.0.2'), undefined);
    assert.equal(resolve('10.0.0.1', ''), '10.0.0.1');
    assert.equal(resolve('10.0.0.1', '203.0.113.5,,'), undefined);
  });

  test('a malformed trusted-proxy list is refused at start', () => {
    assert.throws(() => createAddressResolver(['10.0.0.0/8', 'proxy.internal']), /proxy\.internal/);
  });
});
