// Entry: Vue app with the router, i18n, Element Plus (desktop screens) and Vant (phone screens).
import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import * as Icons from '@element-plus/icons-vue'
import Vant from 'vant'
import 'vant/lib/index.css'
import App from './App.vue'
import { router } from './router.js'
import { i18n } from './i18n/index.js'

const app = createApp(App)
for (const [name, comp] of Object.entries(Icons)) app.component(name, comp)
app.use(i18n).use(router).use(ElementPlus).use(Vant).mount('#app')
