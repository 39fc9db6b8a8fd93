// The page templates: interpolated values are escaped, pages carry no script
// or inline style, and every field has its label.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { consentPage } from '../src/pages/consent.ts';
import { html } from '@passerelle/pages';
import { loginPage } from '../src/pages/login.ts';
import { errorPage } from '../src/pages/messages.ts';
import { passwordPage } from '../src/pages/password.ts';

const hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>';

test('html escapes every interpolated value, and nests its own markup as is', () => {
  const inner = html`<b>${'<i>'}</b>`;
  assert.equal(html`<p title="${hostile}">${inner}${[html`<br>`, '&']}</p>`.text,
    '<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"><b>&lt;i&gt;</b><br>&amp;</p>');
});

test('a client name, an email or an error message cannot inject markup into any page', () => {
  const pages = [
    loginPage({ action: '/a', abortAction: '/b', csrfToken: 't', clientName: hostile, email: hostile, error: hostile }),
    consentPage({ action: '/a', abortAction: '/b', csrfToken: 't', clientName: hostile, userEmail: hostile, permissions: [{ scope: hostile, description: hostile }] }),
    errorPage(hostile, hostile),
    passwordPage({ csrfToken: 't', email: hostile, error: hostile, fieldErrors: [hostile] }),
  ];
  for (const page of pages) {
    assert.doesNotMatch(page, /<script|<img|style=/i);
    assert.match(page, /^<!DOCTYPE html>\n<html lang="en">/);
    assert.match(page, /<link rel="stylesheet" href="\/assets\/passerelle.css">/);
  }
});

test('every input of the forms has a label', () => {
  for (const page of [
    loginPage({ action: '/a', abortAction: '/b', csrfToken: 't', clientName: 'App' }),
    passwordPage({ csrfToken: 't' }),
  ]) {
    const ids = [...page.matchAll(/<input id="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(ids.length >= 2);
    for (const id of ids) assert.match(page, new RegExp(`<label for="${id}">`));
    assert.doesNotMatch(page, /<form method="get"/i);
  }
});
