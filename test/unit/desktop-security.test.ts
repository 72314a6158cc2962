// Electron's security checklist, checked without Electron (its binary cannot be
// downloaded here): the window's webPreferences are read from electron/main.ts as
// written, the preload's surface from electron/preload.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { isAppUrl, isTrustedSender, APP_ENTRY } from '../../electron/desktop/window-options.js';
import { contentSecurityPolicy } from '../../electron/transport/content-security.js';

const root = join(import.meta.dirname, '..', '..');

function source(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(join(root, file), 'utf8'), ts.ScriptTarget.ES2022, true);
}

/** The object literal given as webPreferences to `new BrowserWindow({...})`. */
function webPreferencesOfMainWindow(): Record<string, string> {
  const found: Record<string, string> = {};
  const visit = (node: ts.Node) => {
    if (ts.isNewExpression(node) && node.expression.getText() === 'BrowserWindow') {
      const options = node.arguments?.[0];
      if (options && ts.isObjectLiteralExpression(options)) {
        for (const property of options.properties) {
          if (ts.isPropertyAssignment(property) && property.name.getText() === 'webPreferences' && ts.isObjectLiteralExpression(property.initializer)) {
            for (const preference of property.initializer.properties) {
              if (ts.isPropertyAssignment(preference)) found[preference.name.getText()] = preference.initializer.getText();
            }
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source('electron/main.ts'));
  return found;
}

describe('the desktop window follows Electron security checklist', () => {
  const preferences = webPreferencesOfMainWindow();

  it('isolates the page: contextIsolation and sandbox on, no Node anywhere', () => {
    expect(preferences.contextIsolation).toBe('true');
    expect(preferences.sandbox).toBe('true');
    expect(preferences.nodeIntegration).toBe('false');
    expect(preferences.nodeIntegrationInWorker).toBe('false');
    expect(preferences.nodeIntegrationInSubFrames).toBe('false');
  });

  it('keeps web security and turns off what the app does not use', () => {
    expect(preferences.webSecurity).toBe('true');
    expect(preferences.allowRunningInsecureContent).toBe('false');
    expect(preferences.experimentalFeatures).toBe('false');
    expect(preferences.webviewTag).toBe('false');
    expect(preferences.navigateOnDragDrop).toBe('false');
    expect(preferences.disableBlinkFeatures).toBe("'Auxclick'");
    expect(preferences).not.toHaveProperty('enableBlinkFeatures');
  });

  it('denies new windows, foreign navigation, webviews and every permission', () => {
    const main = readFileSync(join(root, 'electron/main.ts'), 'utf8');
    expect(main).toMatch(/setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/);
    expect(main).toMatch(/'will-navigate'[\s\S]*?if \(!isAppUrl\(url\)\) event\.preventDefault\(\)/);
    expect(main).toMatch(/'will-attach-webview', \(event\) => event\.preventDefault\(\)/);
    expect(main).toMatch(/setPermissionRequestHandler\(\(_contents, _permission, callback\) => callback\(false\)\)/);
    expect(main).not.toMatch(/openExternal|loadURL\(['"`]https?:/);
  });

  it('loads only its own files from app://vxlab and trusts only its own top frame', () => {
    expect(APP_ENTRY).toBe('app://vxlab/index.html');
    expect(isAppUrl('app://vxlab/assets/index.js')).toBe(true);
    expect(isAppUrl('https://vxlab/index.html')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isTrustedSender('app://vxlab/index.html', true)).toBe(true);
    expect(isTrustedSender('app://vxlab/index.html', false)).toBe(false);
    expect(isTrustedSender('https://example.com/', true)).toBe(false);
  });

  it('exposes two functions through the preload and nothing of Electron or Node', () => {
    const preload = readFileSync(join(root, 'electron/preload.ts'), 'utf8');
    const exposed = /exposeInMainWorld\('vxlab', \{([\s\S]*)\}\);/.exec(preload)?.[1] ?? '';
    const keys = [...exposed.matchAll(/^ {2}(\w+):/gm)].map((match) => match[1]);
    expect(keys).toEqual(['request', 'onEvent']);
    expect(preload).not.toMatch(/require\(|process\.|ipcRenderer\.send\(/);
  });

  it('sends a CSP with no inline or evaluated script and no remote content', () => {
    const policy = contentSecurityPolicy();
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline|https?:/);
    expect(policy).toContain("frame-ancestors 'none'");
  });

  it('checks every IPC payload and its sender in the main process', () => {
    const main = readFileSync(join(root, 'electron/main.ts'), 'utf8');
    expect(main).toMatch(/event\.sender !== window\.webContents \|\| !isTrustedSender/);
    expect(main).toMatch(/apiSession\.handle\(method, params\)/);
    const service = readFileSync(join(root, 'electron/api/service.ts'), 'utf8');
    expect(service).toMatch(/checkParams\(method, params\)/);
    const contract = readFileSync(join(root, 'electron/api/contract.ts'), 'utf8');
    expect(contract).toMatch(/requestSchemas\[method\]\.safeParse/);
  });

  it('flips the Electron fuses that would reopen the packaged binary', () => {
    const builder = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
    for (const fuse of ['runAsNode: false', 'enableNodeOptionsEnvironmentVariable: false', 'enableNodeCliInspectArguments: false', 'onlyLoadAppFromAsar: true', 'enableEmbeddedAsarIntegrityValidation: true']) {
      expect(builder).toContain(fuse);
    }
  });
});

describe('the desktop app runs on an Electron that still gets security fixes', () => {
  const support = JSON.parse(readFileSync(join(root, 'security/electron-support.json'), 'utf8')) as { newestMajor: number; supportedMajors: number };
  const oldestSupported = support.newestMajor - support.supportedMajors + 1;
  const majorOf = (version: string) => Number(/(\d+)\./.exec(version)?.[1]);

  it('asks for, locks and installs one of the supported majors', () => {
    const wanted = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.electron ?? '';
    const locked = (JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> }).packages['node_modules/electron']?.version ?? '';
    const installed = (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
    for (const version of [wanted, locked, installed]) {
      expect(majorOf(version), `Electron ${version} is out of support: use ${oldestSupported}–${support.newestMajor}`).toBeGreaterThanOrEqual(oldestSupported);
      expect(majorOf(version)).toBeLessThanOrEqual(support.newestMajor);
    }
    expect(majorOf(locked)).toBe(majorOf(wanted));
  });
});
