@echo off
rem mcp-guard, as installed with the MCP Guard app (Windows): what wrapped MCP client configs run
rem (`mcp-guard run`, with MCP_GUARD_SERVER_ID set). It runs the CLI bundled in the app's app.asar
rem with the app's own binary as the Node runtime (ELECTRON_RUN_AS_NODE=1, which is why the runAsNode
rem fuse stays on), so the app needs no Node installed. It lives in the app's resources
rem (electron-builder.yml `extraResources`): <install dir>\resources\launcher\mcp-guard.cmd, next to
rem <install dir>\resources\app.asar, below <install dir>\MCP Guard.exe.
rem setlocal: the variables below stay out of the caller's console. stdin and stdout are the MCP
rem client's channel: nothing is echoed there.
setlocal
set "RESOURCES=%~dp0.."
set "APP=%RESOURCES%\..\MCP Guard.exe"
if exist "%APP%" goto run
>&2 echo mcp-guard: the MCP Guard app is not at "%APP%"; reinstall MCP Guard, then run mcp-guard wrap again
exit /b 127
:run
set "ELECTRON_RUN_AS_NODE=1"
"%APP%" "%RESOURCES%\app.asar\dist\main\cli\mcp-guard.cjs" %*
exit /b %ERRORLEVEL%
