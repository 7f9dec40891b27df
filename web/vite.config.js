// Vite build of the fangkong web app; `fangkong serve --web web/dist` serves the output.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver, VantResolver } from 'unplugin-vue-components/resolvers'
import { pwa } from './pwa.config.js'

// Vant's icon font is embedded (woff2) and also named on a public CDN as a fallback. The app
// runs on district networks that may not reach it, and its Content-Security-Policy allows
// fonts from the server only: keep the embedded one alone.
const CDN_FONT = /,\s*url\(\/\/at\.alicdn\.com\/[^)]*\)\s*format\("woff"\)/g

function localFontsOnly() {
  return {
    name: 'fangkong-local-fonts-only',
    enforce: 'pre',
    transform(code, id) {
      if (!id.includes('/node_modules/vant/') || !id.endsWith('.css')) return null
      return { code: code.replace(CDN_FONT, ''), map: null }
    },
  }
}

// Element Plus and Vant components are imported by the screens that use them (with their CSS),
// so a phone page downloads neither the desktop library nor the screens it does not open.
// Local components stay explicit imports (dirs: []).
const perScreenImports = Components({
  dirs: [],
  dts: false,
  resolvers: [ElementPlusResolver({ importStyle: 'css' }), VantResolver({ importStyle: 'css' })],
})

export default defineConfig({
  plugins: [localFontsOnly(), vue(), perScreenImports, pwa('dist')],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    chunkSizeWarningLimit: 2000,
    manifest: true,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' },
  },
})
