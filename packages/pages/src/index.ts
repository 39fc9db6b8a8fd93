// @passerelle/pages: what every server-rendered page needs to be safe. Output
// encoding by construction (html), CSRF tokens (csrf), the strict page headers
// (page-security) and the shared stylesheet (assets).
export { html, Markup } from './html.ts';
export { createCsrf, type Csrf } from './csrf.ts';
export { pageSecurity, pagePolicy, originsOf, type PageState, type PageSecurityOptions } from './page-security.ts';
export { sendAsset, sendStylesheet, STYLESHEET_PATH } from './assets.ts';
