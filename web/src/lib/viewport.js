// Whether the screen is phone-sized; phone screens use Vant, desktop screens Element Plus.
import { ref } from 'vue'

export const isPhone = ref(window.innerWidth < 768)
window.addEventListener('resize', () => {
  isPhone.value = window.innerWidth < 768
})
