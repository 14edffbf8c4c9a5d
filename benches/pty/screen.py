"""A small terminal emulator for the pty benchmarks: enough of VT100 to know what
folio's screen shows (it redraws only the cells that change, so the bytes alone
do not say)."""
import re
import unicodedata

CSI = re.compile(rb"\x1b\[([0-9;?]*)([ -/]*)([@-~])")
OSC = re.compile(rb"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def width(ch):
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


class Screen:
    def __init__(self, cols, rows):
        self.cols, self.rows = cols, rows
        self.cells = [[" "] * cols for _ in range(rows)]
        self.x = self.y = 0
        self.top, self.bottom = 0, rows  # the scroll region, bottom exclusive
        self.pending = b""

    def feed(self, data):
        data = self.pending + data
        self.pending = b""
        i = 0
        while i < len(data):
            b = data[i]
            if b == 0x1B:
                m = CSI.match(data, i)
                if m:
                    self.csi(m.group(1).decode(), m.group(3).decode())
                    i = m.end()
                    continue
                m = OSC.match(data, i)
                if m:
                    i = m.end()
                    continue
                if len(data) - i < 64 and (i + 1 >= len(data) or data[i + 1] in b"[]"):
                    self.pending = data[i:]  # a sequence cut between reads
                    return
                i += 2
                continue
            if b == 0x0D:
                self.x = 0
            elif b == 0x0A:
                self.y = min(self.y + 1, self.rows - 1)
            elif b == 0x08:
                self.x = max(self.x - 1, 0)
            elif b >= 0x20:
                n = 1 if b < 0x80 else 2 if b >= 0xC0 and b < 0xE0 else 3 if b < 0xF0 else 4
                if i + n > len(data):
                    self.pending = data[i:]
                    return
                ch = data[i:i + n].decode("utf-8", "replace")
                self.put(ch)
                i += n
                continue
            i += 1

    def put(self, ch):
        w = width(ch)
        if w == 0:
            return
        if self.x + w > self.cols:
            return
        self.cells[self.y][self.x] = ch
        if w == 2 and self.x + 1 < self.cols:
            self.cells[self.y][self.x + 1] = ""
        self.x += w

    def csi(self, params, final):
        nums = [int(p) if p.isdigit() else 0 for p in params.lstrip("?").split(";")] if params else []
        first = nums[0] if nums else 0
        if final in "Hf":
            row = (nums[0] if len(nums) > 0 and nums[0] else 1) - 1
            col = (nums[1] if len(nums) > 1 and nums[1] else 1) - 1
            self.y, self.x = min(row, self.rows - 1), min(col, self.cols - 1)
        elif final == "G":
            self.x = min(max(first, 1) - 1, self.cols - 1)
        elif final == "d":
            self.y = min(max(first, 1) - 1, self.rows - 1)
        elif final == "C":
            self.x = min(self.x + max(first, 1), self.cols - 1)
        elif final == "D":
            self.x = max(self.x - max(first, 1), 0)
        elif final == "A":
            self.y = max(self.y - max(first, 1), 0)
        elif final == "B":
            self.y = min(self.y + max(first, 1), self.rows - 1)
        elif final == "K":
            row = self.cells[self.y]
            if first == 0:
                row[self.x:] = [" "] * (self.cols - self.x)
            elif first == 1:
                row[:self.x + 1] = [" "] * (self.x + 1)
            else:
                row[:] = [" "] * self.cols
        elif final == "J" and first == 2:
            self.cells = [[" "] * self.cols for _ in range(self.rows)]
        elif final == "X":
            n = max(first, 1)
            row = self.cells[self.y]
            row[self.x:self.x + n] = [" "] * len(row[self.x:self.x + n])
        elif final in "ST":
            n = min(max(first, 1), self.bottom - self.top)
            region = self.cells[self.top:self.bottom]
            blank = [[" "] * self.cols for _ in range(n)]
            region = region[n:] + blank if final == "S" else blank + region[:len(region) - n]
            self.cells[self.top:self.bottom] = region
        elif final == "r" and not params.startswith("?"):
            top = (nums[0] if len(nums) > 0 and nums[0] else 1) - 1
            bottom = nums[1] if len(nums) > 1 and nums[1] else self.rows
            self.top, self.bottom = max(top, 0), min(bottom, self.rows)
            self.x = self.y = 0

    def line(self, row):
        return "".join(self.cells[row])

    def text(self):
        return "\n".join(self.line(r) for r in range(self.rows))
