import { nativeImage } from 'electron';
import type { NativeImage } from 'electron';

/**
 * The tray icon, a shield with a check mark, embedded as PNG data URLs so the tray needs no file
 * from the package (build/ has no icons yet) and cannot show a blank square when one is missing.
 * Drawn at 16 and 32 pixels (1x and 2x). On macOS it is a template image (black and alpha only),
 * which the menu bar tints for light and dark mode; elsewhere it is blue with a white check, which
 * reads on light and dark taskbars alike.
 */
const PNG = {
  template16:
    'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAlUlEQVR42mNgoBJIYGBg2E8iTkA2oIGBgeE/ibiB7gbAnFxAjgH9SGoNCBkACqD7SPz1aAG+Hp8BMJsEGBgYzkOxAJK6+bjCIAGLU0EaFbCoQQ8TMHDAJYFFHoYd0BW9x2GIAZrcfygfA6DHBCi6AtACFKv/GdACjlB6QA9YFGBAwJDzUDV4gQDUichOvw8VE2CgNgAAoWt9ak4qIfIAAAAASUVORK5CYII=',
  template32:
    'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAABAUlEQVR42u1XSxHEIAyNBCQgAQkrBQmVUAdIQMJKQEIkVEIlsNsZdoYyUCB8Lktm0gOH5JG8vAaAZXeT388+2OUTAAMAdrCbBWABmAHgcGy/HGcDOAGAeTGZO5sC4EokMnGHAoiJDHMtGQ5gS8TUPThggj6GrhPx9tYpODxCschtrGN56r/SPIZbpqQYMP5nopcOPPU1xXieaRe5BbFEMcZjixKqRI9Z4T7xLpgWlVtILBGEbtCKW1ktAYSs0AueKyNWgnhVJMfSvTAXhHvJz0aprq4C1bFmOxYDAAjKit4ruaS+E3SH5LrHY2X6zWP6YCoXTw4DTDgpxQTLFYVs/20flrkHq78ShC0AAAAASUVORK5CYII=',
  color16:
    'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAzklEQVR42mNQTX7NQAmGMRJUk1/vJxEnIBvQoJr8+j+JuIG+Bqw9+uM/CCzY/Y10A1qWf/kPA9ce/cZvQEzXh/8O5e/gmjOnfPyPDEB8nAbAbPr49d9/v4b3YAxiw0D5vM84wyAB3akgjU/e/IXzQWGA5jWUaHRADyxkcPLGL2xh44BsAAi/x2YIKNCMc9+ga36PnhIxYgIUXbvP/UQJUHT/oxsgoJr8+jwRCeg8VC2GASBsQMCQ81A1DLgMgLkE5MT7SBrvQ8UEcOVGsjEA+RVDRJEBNvAAAAAASUVORK5CYII=',
  color32:
    'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAABTUlEQVR42mNQTX7NMJCYYbA5IAFIN9AYJ+BzwH7V5Nf/aYz3jzpg1AE0d4BD+bv/a4/+AGO/hvf0dYBx7pv/H7/++w8DIDZIjC4OAFl07dHv/+ggpusDfRwACnJ0AAoBUJTQ3AELdn/7jw2Uz/tMeRoABSFaPKJgkCXYwKSNXynLBaCggyUoEI3FN+BUjg2AooPibIgtWJEdAbIcOcXDACghUqUcwBevuFL8kzd/8UYX2VGAzSJsKR5LwUOSA/qxxTEuR6CDzCkfickx/YQaJP/JcQS2BIoD422QKODSiM8ReFI8NqxAqE14nhRHnLzxixTLzxPTKE3AZwjIEbAECLKcQIrHG/z4WsXnadAOOE9Ks9yABg4wILVfkEBFyxPI7ZjMp4Ll8yntGSXQwuekds0USGwr7EfP79TqGxpAi9LzOFJ5P67ENmQ6p3THANPK4FkViBSaAAAAAElFTkSuQmCC',
} as const;

export function trayIcon(platform: NodeJS.Platform = process.platform): NativeImage {
  const template = platform === 'darwin';
  const image = nativeImage.createEmpty();
  image.addRepresentation({ scaleFactor: 1, dataURL: template ? PNG.template16 : PNG.color16 });
  image.addRepresentation({ scaleFactor: 2, dataURL: template ? PNG.template32 : PNG.color32 });
  if (template) image.setTemplateImage(true);
  return image;
}
