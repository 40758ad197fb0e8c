"""GUM dev as an out-of-domain NER proxy: named mentions (person/place/organization whose
words, after leading determiners, are all PROPN) -> PER/LOC/ORG chunks."""
import json,re,sys
TYPES={'person':'PER','place':'LOC','organization':'ORG'}
def sentences(path):
    sent=[];meta={}
    for line in open(path):
        line=line.rstrip('\n')
        if not line:
            if sent: yield meta,sent
            sent=[];meta={}
            continue
        if line.startswith('#'):
            if line.startswith('# newdoc id'): meta['doc']=line.split('=',1)[1].strip()
            continue
        f=line.split('\t')
        if '-' in f[0] or '.' in f[0]: continue
        sent.append(f)
    if sent: yield meta,sent
def mentions(sent):
    stack={}; out=[]
    for i,f in enumerate(sent):
        misc=f[9]
        m=re.search(r'Entity=([^|]*)',misc)
        if not m: continue
        s=m.group(1)
        for tok in re.findall(r'\(\d+-[^()]*?(?=\(|\)|$)\)?|\d+\)',s):
            if tok.startswith('('):
                body=tok.strip('()')
                eid,typ=body.split('-')[0],body.split('-')[1]
                if tok.endswith(')'): out.append((i,i+1,typ))
                else: stack.setdefault(eid,[]).append((i,typ))
            else:
                eid=tok[:-1]
                if stack.get(eid):
                    st,typ=stack[eid].pop(); out.append((st,i+1,typ))
    return out
def gold(path):
    docs=[]
    for meta,sent in sentences(path):
        if 'doc' in meta: docs.append([])
        words=[f[1] for f in sent]; upos=[f[3] for f in sent]
        chunks=set()
        for s,e,t in mentions(sent):
            if t not in TYPES: continue
            while s<e and upos[s]=='DET': s+=1
            if s<e and all(upos[k]=='PROPN' for k in range(s,e)):
                chunks.add((s,e,TYPES[t]))
        docs[-1].append((words,chunks))
    return docs
if __name__=='__main__':
    docs=gold('/work/shared/eval/ud/gum-ccby-dev.conllu')+gold('/work/shared/eval/ud/gum-ccby-train.conllu')
    if sys.argv[1]=='make':
        with open('gum-dev-in.jsonl','w') as f:
            for di,d in enumerate(docs):
                f.write(json.dumps({'id':f'g{di}','text':'\n'.join(' '.join(w) for w,_ in d)})+'\n')
        print(sum(len(c) for d in docs for _,c in d),'gold chunks in',len(docs),'docs')
    else:
        for path in sys.argv[1:]:
            tp=fp=fn=0
            for d,l in zip(docs,open(path)):
                r=json.loads(l); text=r['text']
                gs=set(); off=0
                for words,chunks in d:
                    offs=[];p=off
                    for w in words: offs.append((p,p+len(w))); p+=len(w)+1
                    for s,e,t in chunks: gs.add((offs[s][0],offs[e-1][1],t))
                    off=p
                ps=set()
                for e in r['entities']:
                    if e['type'] in ('PER','LOC','ORG'):
                        for m in e['mentions']: ps.add((m[0],m[1],e['type']))
                tp+=len(gs&ps); fn+=len(gs-ps); fp+=len(ps-gs)
            P=tp/(tp+fp); R=tp/(tp+fn)
            print(path,'P %.4f R %.4f F1 %.4f (gold %d)'%(P,R,2*P*R/(P+R),tp+fn))
