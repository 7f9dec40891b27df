// The installable app (vite-plugin-pwa): its manifest, and a service worker that precaches
// what a field phone needs to open with no network — the shell (index.html, the entry) and the
// screens of the registrar, the gate, door-to-door and deliveries with every chunk they import —
// and keeps every other built asset it fetched (hashed names, so a kept one is never stale).
// The API is never cached by the worker: the pages keep their last lists (src/lib/kept.js) and
// queue their writes (src/lib/outbox.js) themselves.
import fs from 'node:fs'
import path from 'node:path'
import { VitePWA } from 'vite-plugin-pwa'

const FIELD_SCREENS = [
  'src/modules/auth/LoginPage.vue',
  'src/layout/AppLayout.vue',
  'src/modules/home/HomePage.vue',
  'src/modules/testing/RegistrarPage.vue',
  'src/modules/gates/GatePage.vue',
  'src/modules/testing/DoorPage.vue',
  'src/modules/deliveries/RunsPage.vue',
  'src/modules/deliveries/RunPage.vue',
  'node_modules/@zxing/browser/esm/index.js', /* the camera's reader, loaded when it is turned on */
]

/* The built files of chunks and of what they import statically, from Vite's manifest. */
export function chunkFiles(manifest, keys, files = new Set(), seen = new Set()) {
  for (const key of keys) {
    const chunk = manifest[key]
    if (!chunk || seen.has(key)) continue
    seen.add(key)
    files.add(chunk.file)
    for (const css of chunk.css || []) files.add(css)
    for (const asset of chunk.assets || []) files.add(asset)
    chunkFiles(manifest, chunk.imports || [], files, seen)
  }
  return files
}

/* Workbox manifest transform: of the built assets, only the field screens' are precached. */
function fieldOnly(outDir) {
  return async (entries) => {
    const file = path.join(outDir, '.vite', 'manifest.json')
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'))
    const entry = Object.keys(manifest).filter((k) => manifest[k].isEntry)
    const keep = chunkFiles(manifest, [...entry, ...FIELD_SCREENS])
    const wanted = (url) => !url.startsWith('assets/') || keep.has(url)
    return { manifest: entries.filter((e) => wanted(e.url.replace(/^\//, ''))), warnings: [] }
  }
}

export function pwa(outDir) {
  return VitePWA({
    registerType: 'autoUpdate',
    injectRegister: 'script-defer', /* a file of its own: the CSP allows no inline script */
    includeAssets: ['icon.svg'],
    manifest: {
      name: '防控 fangkong',
      short_name: '防控',
      description: '网格化社区防控 · grid-based community epidemic prevention',
      lang: 'zh-CN',
      start_url: '/',
      scope: '/',
      display: 'standalone',
      background_color: '#ffffff',
      theme_color: '#b71c1c',
      icons: [
        { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
        { src: '/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml' },
      ],
    },
    workbox: {
      globPatterns: ['**/*.{js,css,html,woff2,svg,png}'],
      globIgnores: ['.vite/**'],
      maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      manifestTransforms: [fieldOnly(outDir)],
      navigateFallback: '/index.html',
      navigateFallbackDenylist: [/^\/api\//, /^\/healthz$/, /^\/metrics$/],
      cleanupOutdatedCaches: true,
      clientsClaim: true,
      skipWaiting: true,
      runtimeCaching: [
        {
          urlPattern: ({ url, sameOrigin }) => sameOrigin && url.pathname.startsWith('/assets/'),
          handler: 'CacheFirst',
          options: { cacheName: 'fk-assets', expiration: { maxEntries: 400 } },
        },
      ],
    },
  })
}
